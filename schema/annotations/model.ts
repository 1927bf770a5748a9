import { getRandomValues } from 'lib0/webcrypto';
import type { AnnotationKind, AnnotationStatus, ClaimStatus, ProblemType, RelationType } from './vocabulary.ts';

/**
 * The annotation model as plain objects: what one annotation, reply and dismissal holds.
 * The Yjs layout (`annotations/layout.ts`, `stored-layout.ts`) stores these fields; validation lives in
 * `annotations/validation.ts`.
 */

/**
 * The version of the annotation record's fields (`v`), as readers get them and the native export
 * carries them. Layout 1 stored it in every record; the stored layout is now 2
 * (`ANNOTATION_STORE_LAYOUT`, `stored-layout.ts`), which leaves it out.
 */
export const ANNOTATION_LAYOUT_VERSION = 1;

/** Field length limits, in UTF-16 code units. */
export const LIMITS = Object.freeze({
  note: 10_000,
  correction: 2_000,
  replyBody: 10_000,
  name: 60,
  userId: 128,
  quote: 100_000,
  quoteContext: 256,
  blockId: 128,
  related: 100,
  footnotes: 200,
  findingId: 200,
  provenanceKeys: 16,
  provenanceValue: 1_000,
});

/** Annotation ids: `a-` and 16 url-safe characters. */
export const ANNOTATION_ID_PATTERN = /^a-[A-Za-z0-9_-]{16}$/;
/** Reply ids: `r-` and 16 url-safe characters. */
export const REPLY_ID_PATTERN = /^r-[A-Za-z0-9_-]{16}$/;

/** A W3C TextQuoteSelector's fields, on the plain-text projection. */
export interface QuoteSelector {
  exact: string;
  prefix: string;
  suffix: string;
}

/** A W3C TextPositionSelector's fields: UTF-16 offsets into the projection, end exclusive. */
export interface PositionSelector {
  start: number;
  end: number;
}

/** An item id in a Yjs document, as `Y.relativePositionToJSON` writes it. */
export interface YIdJSON {
  client: number;
  clock: number;
}

/**
 * A Yjs relative position as plain JSON (the shape of `Y.relativePositionToJSON`): either an
 * `item` (the position sticks to that item) or the end of a type named by `tname` (a root
 * type) or `type` (the id of the item holding the type); `assoc` < 0 associates left.
 */
export interface RelativePositionJSON {
  type?: YIdJSON;
  tname?: string;
  item?: YIdJSON;
  assoc?: number;
}

/**
 * Where an annotation sits: a pair of relative positions into the text document (the end
 * associating left so typing at the end does not grow the range), the quote and position
 * selectors taken when the anchor was written, the id of the block the range starts in, and
 * how often the quote occurred in the text then (relocation uses it to refuse ambiguity).
 */
export interface Anchor {
  start: RelativePositionJSON;
  end: RelativePositionJSON;
  quote: QuoteSelector;
  position: PositionSelector;
  blockId: string | null;
  /** How many times `quote.exact` occurred in the projection when the anchor was written. */
  occurrences: number;
}

/** A link from one annotation to another. */
export interface RelatedLink {
  id: string;
  relation: RelationType;
}

/** Where an annotation came from when a person did not draw it in the editor. */
export type ProvenanceSource = 'import' | 'assistant';

/** Provenance: the source plus flat details (e.g. `format`, `findingId`, `detector`). */
export interface Provenance {
  source: ProvenanceSource;
  [detail: string]: string | number | boolean | null;
}

/** The record of a correction the owner applied: the quote it replaced, who applied it and when. */
export interface AppliedCorrection {
  original: string;
  by: string;
  at: string;
}

/** One annotation, as stored in the annotation document. */
export interface Annotation {
  id: string;
  kind: AnnotationKind;
  claimStatus: ClaimStatus | null;
  problemType: ProblemType | null;
  /** Linked footnote numbers, ascending and unique. */
  footnotes: number[];
  note: string;
  correction: string | null;
  status: AnnotationStatus;
  /** User id and display name of whoever last changed the status; null while never changed. */
  statusBy: string | null;
  statusByName: string | null;
  statusAt: string | null;
  authorId: string;
  authorName: string;
  created: string;
  modified: string;
  related: RelatedLink[];
  anchor: Anchor;
  provenance: Provenance | null;
  applied: AppliedCorrection | null;
  v: typeof ANNOTATION_LAYOUT_VERSION;
}

/** The field names of an annotation, in the order the layout documents them. */
export const ANNOTATION_FIELDS = [
  'id', 'kind', 'claimStatus', 'problemType', 'footnotes', 'note', 'correction', 'status', 'statusBy',
  'statusByName', 'statusAt', 'authorId', 'authorName', 'created', 'modified', 'related', 'anchor',
  'provenance', 'applied', 'v',
] as const satisfies readonly (keyof Annotation)[];

/** One reply in an annotation's thread. */
export interface Reply {
  id: string;
  annotationId: string;
  authorId: string;
  authorName: string;
  body: string;
  created: string;
  modified: string;
}

/** The field names of a reply. */
export const REPLY_FIELDS = ['id', 'annotationId', 'authorId', 'authorName', 'body', 'created', 'modified'] as const satisfies readonly (keyof Reply)[];

/** Fields of an annotation that never change once it exists: identity, authorship, layout version. */
export const FIXED_ANNOTATION_FIELDS = ['id', 'authorId', 'authorName', 'created', 'v'] as const satisfies readonly (keyof Annotation)[];

/** Fields of a reply that never change once it exists: identity, thread and authorship. */
export const FIXED_REPLY_FIELDS = ['id', 'annotationId', 'authorId', 'authorName', 'created'] as const satisfies readonly (keyof Reply)[];

/** A suggestion of the analysis assistants dismissed for the whole room. */
export interface Dismissal {
  by: string;
  at: string;
}

/** The user an operation acts for: the server-side session's user id and display name. */
export interface Actor {
  userId: string;
  name: string;
}

/** A validation outcome: the checked value, or every problem found. */
export type ValidationResult<T> = { ok: true; value: T } | { ok: false; errors: string[] };

const idAlphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

function randomIdBody(): string {
  const bytes = getRandomValues(new Uint8Array(16));
  let body = '';
  // 64 symbols: the low six bits of each random byte pick one uniformly.
  for (const byte of bytes) body += idAlphabet[byte & 63];
  return body;
}

/** Returns a fresh random annotation id (`a-` + 16 url-safe characters, 96 random bits). */
export function newAnnotationId(): string {
  return `a-${randomIdBody()}`;
}

/** Returns a fresh random reply id (`r-` + 16 url-safe characters, 96 random bits). */
export function newReplyId(): string {
  return `r-${randomIdBody()}`;
}
