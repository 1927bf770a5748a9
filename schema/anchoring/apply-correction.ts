import * as Y from 'yjs';
import { BlockTable } from './block-table.ts';
import { createAnchorFromTextRange } from './create-anchor.ts';
import { yTypeIndexAt } from './positions.ts';
import { placeAnchor } from './resolve.ts';
import type { Anchor, Annotation, ValidationResult } from '../annotations/model.ts';
import { readAnnotationById } from '../annotations/layout.ts';
import { changeAnnotation } from '../annotations/operations.ts';
import { checkActor, timestamp } from '../annotations/operation-context.ts';
import type { OperationContext } from '../annotations/operation-context.ts';
import { AnnotationOrigin } from '../annotations/origin.ts';
import { TEXT_FRAGMENT_NAME } from '../chapter/y-text-projection.ts';

/**
 * Applying a problem's proposed correction: the owner's "make it so". The text between the
 * problem's anchor positions is replaced by the correction inside its Y.XmlText run (keeping
 * the run's formatting), the problem becomes `applied` with the original quote kept in
 * `applied.original`, and its anchor is rewritten onto the corrected text, so the problem
 * itself stays `anchored`. Other annotations overlapping the range become `degraded`.
 *
 * It refuses, writing nothing, unless the problem is open or resolved, has a correction and
 * is cleanly anchored: state `anchored`, within one run of one block (no footnote marker or
 * page break inside). An empty correction deletes the text; the problem's anchor then keeps
 * its old quote with `occurrences: 0`, so it resolves as orphaned and is never relocated onto
 * another copy of the deleted words.
 */

/** The formatting attributes in effect at character `index` of a run. */
function formatAt(ytext: Y.XmlText, index: number): Record<string, unknown> {
  const attributes: Record<string, unknown> = {};
  let seen = 0;
  for (let item = ytext._start; item !== null; item = item.right) {
    if (item.deleted) continue;
    if (item.content instanceof Y.ContentFormat) {
      const { key, value } = item.content;
      if (value === null) delete attributes[key];
      else attributes[key] = value;
    } else if (item.countable) {
      if (seen + item.length > index) break;
      seen += item.length;
    }
  }
  return attributes;
}

type CleanRange = { ok: true; ytext: Y.XmlText; from: number; to: number; textStart: number } | { ok: false; errors: string[] };

/** Finds the run and indices a cleanly anchored annotation covers. */
function cleanRangeOf(textDoc: Y.Doc, table: BlockTable, anchor: Anchor): CleanRange {
  const placement = placeAnchor(textDoc, table, anchor);
  if (placement.state !== 'anchored' || placement.start === null || placement.end === null) {
    return { ok: false, errors: [`the problem is ${placement.state}, not cleanly anchored; re-anchor it before applying`] };
  }
  const start = yTypeIndexAt(placement.start, 'start');
  const end = yTypeIndexAt(placement.end, 'end');
  if (start.type !== end.type || !(start.type instanceof Y.XmlText)) {
    return { ok: false, errors: ['the problem spans a footnote marker, page break or block boundary; correct the text by hand'] };
  }
  return { ok: true, ytext: start.type, from: start.index, to: end.index, textStart: table.textOffsetOf(placement.start) };
}

function checkApplicable(annotation: Annotation): string[] {
  if (annotation.kind !== 'problem') return ['only problems carry corrections'];
  if (annotation.correction === null) return ['the problem proposes no correction'];
  if (annotation.status === 'applied' || annotation.status === 'rejected') return [`the problem is already ${annotation.status}`];
  return [];
}

/** Replaces the run's range with the correction, in the text document, with a typed origin. */
function replaceText(textDoc: Y.Doc, range: Extract<CleanRange, { ok: true }>, correction: string, userId: string): void {
  textDoc.transact(() => {
    const { ytext, from, to } = range;
    // Insert first, with the replaced text's own formatting, then delete the old text.
    if (correction.length > 0) ytext.insert(from, correction, formatAt(ytext, from));
    ytext.delete(from + correction.length, to - from);
  }, new AnnotationOrigin('apply-correction', userId));
}

function anchorAfterCorrection(textDoc: Y.Doc, annotation: Annotation, textStart: number, correction: string): Anchor | string[] {
  if (correction.length === 0) return { ...annotation.anchor, occurrences: 0 };
  const table = new BlockTable(textDoc.getXmlFragment(TEXT_FRAGMENT_NAME));
  const fresh = createAnchorFromTextRange(table, { start: textStart, end: textStart + correction.length });
  return fresh.ok ? fresh.value : [fresh.error];
}

/**
 * Applies a problem's correction to the text document and marks it applied in the annotation
 * document. Returns the updated annotation, or why it cannot be applied (nothing written).
 */
export function applyCorrection(annotationsDoc: Y.Doc, textDoc: Y.Doc, id: string, context: OperationContext): ValidationResult<Annotation> {
  checkActor(context);
  const read = readAnnotationById(annotationsDoc, id);
  if (!read.ok) return read;
  const problems = checkApplicable(read.value);
  if (problems.length > 0) return { ok: false, errors: problems };
  const range = cleanRangeOf(textDoc, new BlockTable(textDoc.getXmlFragment(TEXT_FRAGMENT_NAME)), read.value.anchor);
  if (!range.ok) return range;
  const correction = read.value.correction!;
  replaceText(textDoc, range, correction, context.actor.userId);
  const anchor = anchorAfterCorrection(textDoc, read.value, range.textStart, correction);
  if (Array.isArray(anchor)) throw new Error(`corrected text could not be re-anchored: ${anchor.join('; ')}`);
  const at = timestamp(context);
  return changeAnnotation(annotationsDoc, id, 'apply-correction', context, (current) => ({
    ...current,
    anchor,
    status: 'applied',
    statusBy: context.actor.userId,
    statusByName: context.actor.name,
    statusAt: at,
    applied: { original: current.anchor.quote.exact, by: context.actor.userId, at },
  }));
}
