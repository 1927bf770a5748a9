import type { Actor, Provenance } from '../../annotations/model.ts';
import { LIMITS } from '../../annotations/model.ts';
import type { ImportFormat, ImportItem, ImportReply } from './plan.ts';

/**
 * The provenance an imported annotation carries. The author of record of an import is the
 * importing owner and its times are the server's; what the file said — who wrote it, when,
 * who set its status, its unknown tags, its replies' authors — is kept here, flat (the model
 * allows 16 string/number/boolean/null fields):
 *
 *   source 'import', format, sourceId, importedAt, importedBy,
 *   originalCreator, originalCreatorId, originalCreated, originalModified,
 *   originalStatusBy, originalStatusAt, originalAppliedBy, originalAppliedAt,
 *   tags (JSON array), replyOrigins (JSON {replyId: [name, creatorId, created, modified]}),
 *   priorProvenance (JSON of an assistant's provenance the record had).
 *
 * Re-importing an export of imported annotations keeps the first origin: the original
 * creator stays the person who wrote the annotation, not the owner who imported it once.
 */
export function importProvenance(item: ImportItem, format: ImportFormat, actor: Actor, now: string): Provenance {
  const prior = item.priorProvenance?.source === 'import' ? item.priorProvenance : null;
  const fromPrior = (key: string) => (prior && prior[key] !== undefined ? prior[key]! : undefined);
  const provenance: Provenance = {
    source: 'import',
    format,
    sourceId: clip(fromPrior('sourceId') ?? item.sourceId),
    importedAt: now,
    importedBy: actor.userId,
    originalCreator: fromPrior('originalCreator') ?? clip(item.origin.creatorName),
    originalCreatorId: fromPrior('originalCreatorId') ?? clip(item.origin.creatorId),
    originalCreated: fromPrior('originalCreated') ?? item.origin.created,
    originalModified: fromPrior('originalModified') ?? item.origin.modified,
  };
  setIfPresent(provenance, 'originalStatusBy', fromPrior('originalStatusBy') ?? clip(item.statusOrigin?.byName ?? item.statusOrigin?.by ?? null));
  setIfPresent(provenance, 'originalStatusAt', fromPrior('originalStatusAt') ?? item.statusOrigin?.at ?? null);
  setIfPresent(provenance, 'originalAppliedBy', fromPrior('originalAppliedBy') ?? item.applied?.by ?? null);
  setIfPresent(provenance, 'originalAppliedAt', fromPrior('originalAppliedAt') ?? item.applied?.at ?? null);
  const tags = mergedTags(prior?.tags, item.unknownTags);
  if (tags.length > 0) provenance.tags = clip(JSON.stringify(tags));
  const replyOrigins = replyOriginsJson(prior?.replyOrigins, item.replies);
  if (replyOrigins !== null) provenance.replyOrigins = replyOrigins;
  if (item.priorProvenance && !prior) provenance.priorProvenance = clip(JSON.stringify(item.priorProvenance));
  return provenance;
}

function setIfPresent(provenance: Provenance, key: string, value: string | number | boolean | null): void {
  if (value !== null) provenance[key] = value;
}

function clip<T extends string | number | boolean | null>(value: T): T {
  return (typeof value === 'string' && value.length > LIMITS.provenanceValue ? value.slice(0, LIMITS.provenanceValue) : value) as T;
}

function mergedTags(prior: unknown, tags: string[]): string[] {
  const earlier = typeof prior === 'string' ? parseJson(prior) : null;
  const merged = Array.isArray(earlier) ? earlier.filter((t): t is string => typeof t === 'string') : [];
  for (const tag of tags) if (!merged.includes(tag)) merged.push(tag);
  return merged;
}

/**
 * Who wrote each reply, and when, as a JSON object (the reply layout has no provenance of
 * its own). Entries that would push the value over the model's length limit are left out.
 */
function replyOriginsJson(prior: unknown, replies: ImportReply[]): string | null {
  const earlier = typeof prior === 'string' ? parseJson(prior) : null;
  const origins: Record<string, unknown> = earlier && typeof earlier === 'object' && !Array.isArray(earlier) ? { ...earlier } : {};
  for (const reply of replies) {
    if (origins[reply.id] !== undefined) continue;
    const entry = [reply.origin.creatorName, reply.origin.creatorId, reply.origin.created, reply.origin.modified];
    const next = { ...origins, [reply.id]: entry };
    if (JSON.stringify(next).length > LIMITS.provenanceValue) break;
    origins[reply.id] = entry;
  }
  return Object.keys(origins).length > 0 ? JSON.stringify(origins) : null;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
