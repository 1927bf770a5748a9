import { ANNOTATION_KINDS, isAnnotationKind } from '../../annotations/vocabulary.ts';
import type { AnnotationKind } from '../../annotations/vocabulary.ts';
import { DEFAULT_SELECTION } from './export-selection.ts';

/**
 * The choices a document export is made with (which kinds, closed annotations or not, page
 * numbers), as query parameters (`?kinds=claim,problem&include-resolved=true`) and CLI flags
 * (`--kinds claim,problem --include-resolved`). Each format in `formats.ts` names the options it
 * takes; this module reads and writes them.
 */

/** The options an export can take. */
export type ExportOptionName = 'kinds' | 'include-resolved' | 'pages';

/** Every option, in the order messages and menus list them. */
export const EXPORT_OPTION_NAMES: readonly ExportOptionName[] = ['kinds', 'include-resolved', 'pages'];

/** The choices an export is made with; each format reads the ones it takes. */
export interface ExportChoices {
  kinds: ReadonlySet<AnnotationKind>;
  /** Include closed annotations (resolved threads, applied and rejected problems). */
  includeResolved: boolean;
  /** Mark where the printed pages began (`[p. 12]`) in the plain text. */
  pages: boolean;
}

/** The choices when none is given: every kind, closed annotations left out, no page marks. */
export const DEFAULT_EXPORT_CHOICES: ExportChoices = Object.freeze({ kinds: DEFAULT_SELECTION.kinds, includeResolved: false, pages: false });

/** What choice parsing needs to know of a format. */
export interface ChoosableFormat {
  name: string;
  options: readonly ExportOptionName[];
}

function parseBoolean(name: string, value: string): boolean | string {
  const normal = value.trim().toLowerCase();
  if (['1', 'true', 'yes', ''].includes(normal)) return true;
  if (['0', 'false', 'no'].includes(normal)) return false;
  return `${name} must be true or false, got ${JSON.stringify(value)}`;
}

function parseKinds(value: string): ReadonlySet<AnnotationKind> | string {
  const names = value.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = names.filter((name) => !isAnnotationKind(name));
  if (unknown.length > 0) return `kinds: ${unknown.map((u) => JSON.stringify(u)).join(', ')} ${unknown.length === 1 ? 'is not a kind' : 'are not kinds'}; use ${ANNOTATION_KINDS.map((k) => k.term).join(', ')}`;
  if (names.length === 0) return 'kinds: name at least one of claim, problem, comment';
  return new Set(names as AnnotationKind[]);
}

/**
 * Reads a format's choices from named values (`get` answers null for an option not given):
 * URL query parameters or command-line flags. Refuses an option the format does not take, or
 * a value it cannot read, with a message that says what to write instead.
 */
export function parseExportChoices(format: ChoosableFormat, get: (option: ExportOptionName) => string | null): { ok: true; value: ExportChoices } | { ok: false; error: string } {
  let { kinds, includeResolved, pages } = DEFAULT_EXPORT_CHOICES;
  for (const option of EXPORT_OPTION_NAMES) {
    const value = get(option);
    if (value === null) continue;
    if (!format.options.includes(option)) {
      return { ok: false, error: `the ${format.name} export takes ${format.options.length === 0 ? 'no options' : `only ${format.options.join(', ')}`}, not ${option}` };
    }
    const parsed = option === 'kinds' ? parseKinds(value) : parseBoolean(option, value);
    if (typeof parsed === 'string') return { ok: false, error: parsed };
    if (option === 'kinds') kinds = parsed as ReadonlySet<AnnotationKind>;
    else if (option === 'include-resolved') includeResolved = parsed as boolean;
    else pages = parsed as boolean;
  }
  return { ok: true, value: { kinds, includeResolved, pages } };
}

/**
 * The query parameters of a format's choices (`&kinds=claim,problem&include-resolved=true`), to
 * append to its download address: only the options it takes that differ from the defaults.
 */
export function choicesQuery(format: ChoosableFormat, choices: Partial<ExportChoices>): string {
  let query = '';
  const { kinds } = choices;
  if (format.options.includes('kinds') && kinds && kinds.size < DEFAULT_EXPORT_CHOICES.kinds.size) {
    query += `&kinds=${ANNOTATION_KINDS.map((k) => k.term).filter((k) => kinds.has(k)).join(',')}`;
  }
  if (format.options.includes('include-resolved') && choices.includeResolved) query += '&include-resolved=true';
  if (format.options.includes('pages') && choices.pages) query += '&pages=true';
  return query;
}
