/**
 * Limits on an import file, and the checks that run before anything is interpreted:
 * size, JSON syntax, and keys that could pollute prototypes in code that copies objects.
 */

/** Limits on one import. Defaults: 10 MiB, 50,000 annotations, 1,000 replies per annotation. */
export interface ImportLimits {
  maxBytes: number;
  maxAnnotations: number;
  maxRepliesPerAnnotation: number;
}

/** The default import limits. */
export const DEFAULT_IMPORT_LIMITS: Readonly<ImportLimits> = Object.freeze({
  maxBytes: 10 * 1024 * 1024,
  maxAnnotations: 50_000,
  maxRepliesPerAnnotation: 1_000,
});

/** Why a whole import file was refused before its annotations were looked at. */
export type ImportFileErrorCode = 'too-large' | 'invalid-json' | 'forbidden-key' | 'too-many-annotations' | 'invalid-format';

/** A refusal of the whole file, with a message naming the problem. */
export interface ImportFileError {
  code: ImportFileErrorCode;
  message: string;
}

// Keys that, copied with plain assignment or Object.assign, reach or replace a prototype.
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Returns the UTF-8 length of a string without allocating its bytes. */
export function utf8Length(text: string): number {
  let length = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) length += 1;
    else if (unit < 0x800) length += 2;
    else if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      length += 4;
      i++;
    } else length += 3;
  }
  return length;
}

/**
 * Parses an import file's text: refuses it when it is over `limits.maxBytes` of UTF-8, is
 * not JSON, or contains a `__proto__`, `constructor` or `prototype` key at any depth.
 */
export function parseImportJson(text: string, limits: ImportLimits = DEFAULT_IMPORT_LIMITS): { ok: true; value: unknown } | { ok: false; error: ImportFileError } {
  const bytes = utf8Length(text);
  if (bytes > limits.maxBytes) {
    return { ok: false, error: { code: 'too-large', message: `import is ${bytes} bytes, over the limit of ${limits.maxBytes}` } };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { ok: false, error: { code: 'invalid-json', message: `import is not valid JSON: ${(err as Error).message}` } };
  }
  const forbidden = findForbiddenKey(value);
  if (forbidden !== null) {
    return { ok: false, error: { code: 'forbidden-key', message: `import contains the forbidden key "${forbidden.key}" at ${forbidden.path}` } };
  }
  return { ok: true, value };
}

/** A visited value and how it was reached, so a path is spelt out only for the offender. */
interface VisitedNode {
  value: unknown;
  parent: VisitedNode | null;
  key: string | number;
}

/** Finds the first forbidden key in a parsed JSON value (iteratively: files can be deep). */
export function findForbiddenKey(root: unknown): { key: string; path: string } | null {
  const stack: VisitedNode[] = [{ value: root, parent: null, key: '$' }];
  while (stack.length > 0) {
    const node = stack.pop()!;
    const { value } = node;
    if (value === null || typeof value !== 'object') continue;
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], parent: node, key: i });
      continue;
    }
    // JSON.parse defines "__proto__" as an own property, so Object.keys sees it.
    for (const key of Object.keys(value)) {
      if (FORBIDDEN_KEYS.has(key)) return { key, path: pathOf(node) };
      stack.push({ value: (value as Record<string, unknown>)[key], parent: node, key });
    }
  }
  return null;
}

function pathOf(node: VisitedNode): string {
  const parts: string[] = [];
  for (let at: VisitedNode | null = node; at; at = at.parent) {
    parts.push(typeof at.key === 'number' ? `[${at.key}]` : at.parent ? `.${at.key}` : at.key);
  }
  return parts.reverse().join('');
}
