import type { Anchor, Annotation } from '../../annotations/model.ts';
import type { ImportSelectors } from './anchor.ts';

/**
 * The import plan: what a file asks to create, validated and interpreted but not yet
 * placed in a room. `exchange/import/parse.ts` builds it from native or W3C JSON; `exchange/import/apply.ts`
 * anchors it in a room's text and writes it, all or nothing.
 */

/** The formats an import file can be in. */
export type ImportFormat = 'native' | 'w3c';

/** One annotation (or reply) the import refuses, and why. */
export interface ImportRefusal {
  /** Index of the item in the file's list of annotations (W3C: of the page's items). */
  index: number;
  /** The item's id as the file gives it (an IRI for W3C), or null when it has none. */
  id: string | null;
  reason: string;
}

/** Authorship and times as the file states them: kept as provenance, never as server fields. */
export interface ImportOrigin {
  creatorId: string | null;
  creatorName: string | null;
  created: string | null;
  modified: string | null;
}

/** A reply to create in an imported annotation's thread. */
export interface ImportReply {
  index: number;
  id: string;
  sourceId: string;
  body: string;
  origin: ImportOrigin;
}

/** One annotation to create: the fields it takes from the file, and how to place and credit it. */
export interface ImportItem
  extends Pick<Annotation, 'kind' | 'claimStatus' | 'problemType' | 'footnotes' | 'note' | 'correction' | 'status' | 'related'> {
  index: number;
  /** The local annotation id it will have (the file's own, or derived from its IRI). */
  id: string;
  /** The id or IRI the file gives it. */
  sourceId: string;
  /** Where to anchor it: UTF-16 selectors on the target text; null keeps it orphaned. */
  selectors: ImportSelectors | null;
  /**
   * The stored anchor of a native record: its quote and creation position are kept (so a
   * degraded annotation stays degraded), and an orphan keeps its relative positions.
   */
  storedAnchor: Anchor | null;
  origin: ImportOrigin;
  /** Who set the status and when, per the file (native only). */
  statusOrigin: { by: string | null; byName: string | null; at: string | null } | null;
  /** The applied-correction record: the replaced text, and who applied it when, per the file. */
  applied: { original: string; by: string | null; at: string | null } | null;
  /** Provenance the record already had (e.g. from an earlier import or an assistant). */
  priorProvenance: Record<string, string | number | boolean | null> | null;
  /** Tags no vocabulary term matched, kept in the note and in provenance. */
  unknownTags: string[];
  replies: ImportReply[];
}

/** A reply whose parent is not in the file but may already be in the room. */
export interface ImportOrphanReply extends ImportReply {
  parentId: string;
}

/** A parsed, validated import file. */
export interface ImportPlan {
  format: ImportFormat;
  items: ImportItem[];
  /** Replies (W3C) to annotations that the room must already hold. */
  repliesToExisting: ImportOrphanReply[];
  /** Assistant findings the file's room dismissed (native only). */
  dismissed: string[];
  refused: ImportRefusal[];
}
