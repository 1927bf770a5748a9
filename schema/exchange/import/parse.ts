import { parseImportJson } from './limits.ts';
import type { ImportFileError } from './limits.ts';
import { isNativeDocument, parseNativeImport } from './native.ts';
import type { ImportParseContext } from './native.ts';
import type { ImportPlan, ImportRefusal } from './plan.ts';
import { parseW3CImport } from './w3c.ts';

/** One problem a JSON Schema validator found: where (a JSON Pointer) and what. */
export interface SchemaProblem {
  path: string;
  message: string;
}

/**
 * Validates a native document against NATIVE_EXPORT_SCHEMA. schema/ does not compile JSON
 * Schemas itself (Ajv generates code with `new Function`, which a strict CSP forbids in the
 * browser), so the server passes its compiled Ajv validator in.
 */
export type NativeSchemaValidator = (doc: unknown) => SchemaProblem[];

/** The outcome of parsing an import file: a plan, or why the whole file is refused. */
export type ImportParseResult = { ok: true; plan: ImportPlan } | { ok: false; error: ImportFileError };

/**
 * Parses an import file's text into a validated plan: size, JSON and forbidden keys first,
 * then the native format (checked against its JSON Schema when a validator is given, and
 * against the annotation model) or W3C Web Annotation JSON-LD. Items with problems are
 * listed in `plan.refused`; ids repeated within the file are refused after their first use.
 */
export function parseImport(text: string, context: ImportParseContext, validateNativeSchema?: NativeSchemaValidator): ImportParseResult {
  const parsed = parseImportJson(text, context.limits);
  if (!parsed.ok) return parsed;
  const doc = parsed.value;
  let result: ImportParseResult;
  if (isNativeDocument(doc)) {
    const schemaRefusals = validateNativeSchema ? schemaRefusalsOf(doc, validateNativeSchema(doc)) : [];
    if (!Array.isArray(schemaRefusals)) return { ok: false, error: schemaRefusals };
    result = parseNativeImport(doc, context);
    if (result.ok) {
      const { plan } = result;
      plan.refused = mergeRefusals(schemaRefusals, plan.refused);
      const refused = new Set(plan.refused.map((r) => r.index));
      plan.items = plan.items.filter((item) => !refused.has(item.index));
    }
  } else {
    result = parseW3CImport(doc, context);
  }
  if (result.ok) refuseDuplicateIds(result.plan);
  return result;
}

/**
 * Turns schema problems into refusals of the annotations they sit in; a problem outside
 * the annotations list (the envelope, the chapter) refuses the whole file.
 */
function schemaRefusalsOf(doc: unknown, problems: SchemaProblem[]): ImportRefusal[] | ImportFileError {
  const refusals: ImportRefusal[] = [];
  const annotations = (doc as { annotations?: unknown }).annotations;
  for (const problem of problems) {
    const match = /^\/annotations\/(\d+)(\/.*)?$/.exec(problem.path);
    if (!match || !Array.isArray(annotations)) {
      return { code: 'invalid-format', message: `does not match the native JSON Schema: ${problem.path || '/'} ${problem.message}` };
    }
    const index = Number(match[1]);
    const record = annotations[index] as { id?: unknown } | undefined;
    refusals.push({ index, id: typeof record?.id === 'string' ? record.id : null, reason: `${match[2] ?? '/'} ${problem.message} (JSON Schema)` });
  }
  return refusals;
}

/** One refusal per item: the schema's reasons first, the model's when the schema had none. */
function mergeRefusals(schema: ImportRefusal[], model: ImportRefusal[]): ImportRefusal[] {
  const byIndex = new Map<number, ImportRefusal>();
  for (const refusal of [...schema, ...model]) {
    const seen = byIndex.get(refusal.index);
    if (!seen) byIndex.set(refusal.index, refusal);
    else if (!seen.reason.includes(refusal.reason)) seen.reason = `${seen.reason}; ${refusal.reason}`;
  }
  return [...byIndex.values()].sort((a, b) => a.index - b.index);
}

/** Refuses every annotation or reply whose local id an earlier item of the file already took. */
function refuseDuplicateIds(plan: ImportPlan): void {
  const firstIndex = new Map<string, number>();
  const refusedIndexes = new Set(plan.refused.map((r) => r.index));
  const claim = (id: string, index: number): string | null => {
    const first = firstIndex.get(id);
    if (first !== undefined) return `duplicate id ${id}: also at index ${first}`;
    firstIndex.set(id, index);
    return null;
  };
  plan.items = plan.items.filter((item) => {
    const duplicate = claim(item.id, item.index) ?? item.replies.map((reply) => claim(reply.id, reply.index)).find((d) => d !== null) ?? null;
    if (duplicate === null) return true;
    if (!refusedIndexes.has(item.index)) plan.refused.push({ index: item.index, id: item.sourceId, reason: duplicate });
    return false;
  });
  plan.repliesToExisting = plan.repliesToExisting.filter((reply) => {
    const duplicate = claim(reply.id, reply.index);
    if (duplicate !== null) plan.refused.push({ index: reply.index, id: reply.sourceId, reason: duplicate });
    return duplicate === null;
  });
  plan.refused.sort((a, b) => a.index - b.index);
}
