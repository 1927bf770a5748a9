import type { Annotation, Reply } from '../../../annotations/model.ts';
import type { SnapshotAnnotation } from '../snapshot.ts';
import { motivationOf } from '../w3c.ts';
import { anaOf, personRef } from './tei-context.ts';
import type { TeiContext } from './tei-context.ts';
import { spanTarget } from './tei-spans.ts';
import type { PlacedSpan } from './tei-spans.ts';
import { xmlElement, xmlText } from './xml-text.ts';

/**
 * The `standOff`: one `annotation` per annotation, pointing at its passage in the text, with its
 * history (`revisionDesc`: created, modified, status set, correction applied, each with who and
 * when), its note, proposed correction, linked footnotes and related annotations; then one
 * `annotation` per reply (motivation `replying`) pointing at the annotation it answers.
 */

/** Writes the standOff, or nothing for a room without annotations (a listAnnotation may not be empty). */
export function teiStandOff(context: TeiContext, spans: Map<string, PlacedSpan>): string {
  const { annotations } = context.snapshot;
  if (annotations.length === 0) return '';
  const items = annotations.map((entry) => `\n${annotationEntry(context, entry, spans.get(entry.annotation.id))}`);
  for (const entry of annotations) for (const reply of entry.replies) items.push(`\n${replyEntry(context, reply)}`);
  return xmlElement('standOff', {}, xmlElement('listAnnotation', {}, `${items.join('')}\n`));
}

function annotationEntry(context: TeiContext, entry: SnapshotAnnotation, span: PlacedSpan | undefined): string {
  const { annotation } = entry;
  const target = span ? spanTarget(span) : context.iris.text;
  const attributes = {
    'xml:id': context.annotationIds.get(annotation.id),
    target,
    motivation: motivationOf(annotation),
    ana: anaOf(annotation),
    resp: personRef(context, annotation.authorId),
    corresp: context.iris.annotation(annotation.id),
  };
  return xmlElement('annotation', attributes, history(context, annotation) + bodies(context, entry));
}

function change(context: TeiContext, type: string, when: string, who: string | null, status: string | null, text: string): string {
  return xmlElement('change', { type, when, who: personRef(context, who), status }, xmlText(text));
}

/** What happened to an annotation, oldest first. */
function history(context: TeiContext, annotation: Annotation): string {
  let changes = change(context, 'created', annotation.created, annotation.authorId, null, 'created');
  if (annotation.modified !== annotation.created) changes += change(context, 'modified', annotation.modified, null, null, 'last modified');
  if (annotation.statusAt !== null) changes += change(context, 'status', annotation.statusAt, annotation.statusBy, annotation.status, `status set to ${annotation.status}`);
  if (annotation.applied !== null) {
    changes += change(context, 'applied', annotation.applied.at, annotation.applied.by, 'applied', `correction applied to the text, replacing “${annotation.applied.original}”`);
  }
  return xmlElement('revisionDesc', {}, changes);
}

/** The annotation's notes and pointers, in a fixed order. */
function bodies(context: TeiContext, entry: SnapshotAnnotation): string {
  const { annotation, resolved } = entry;
  let out = '';
  if (annotation.note !== '') out += xmlElement('note', { type: 'comment' }, xmlText(annotation.note));
  if (annotation.correction !== null) out += xmlElement('note', { type: 'correction' }, xmlText(annotation.correction));
  if (resolved.state !== 'anchored') out += xmlElement('note', { type: 'anchor-state', subtype: resolved.state }, xmlText(anchorStateText(entry)));
  if (annotation.provenance?.source === 'assistant') out += xmlElement('note', { type: 'provenance', subtype: 'assistant' }, 'suggested by an Apparatus analysis assistant');
  else if (annotation.provenance?.source === 'import') out += xmlElement('note', { type: 'provenance', subtype: 'import' }, 'imported from a file');
  for (const n of annotation.footnotes) {
    const id = context.footnoteIds.get(n);
    out += xmlElement('ptr', { type: 'footnote', n, target: id ? `#${id}` : `${context.iris.text}#footnote-${n}` });
  }
  for (const related of annotation.related) {
    const id = context.annotationIds.get(related.id);
    out += xmlElement('ptr', { type: 'related', subtype: related.relation, target: id ? `#${id}` : context.iris.annotation(related.id) });
  }
  return out;
}

function anchorStateText({ resolved, annotation }: SnapshotAnnotation): string {
  if (resolved.state === 'orphaned') return `The annotated text was deleted; it read “${annotation.anchor.quote.exact}”.`;
  if (resolved.state === 'degraded') return `The annotated text changed; it read “${annotation.anchor.quote.exact}”.`;
  return `Re-found by its quote after its positions were lost.`;
}

function replyEntry(context: TeiContext, reply: Reply): string {
  const parent = context.annotationIds.get(reply.annotationId);
  const attributes = {
    'xml:id': context.ids.claim(reply.id, 'reply'),
    target: parent ? `#${parent}` : context.iris.annotation(reply.annotationId),
    motivation: 'replying',
    resp: personRef(context, reply.authorId),
    corresp: context.iris.reply(reply.id),
  };
  let changes = change(context, 'created', reply.created, reply.authorId, null, 'replied');
  if (reply.modified !== reply.created) changes += change(context, 'modified', reply.modified, reply.authorId, null, 'edited');
  return xmlElement('annotation', attributes, xmlElement('revisionDesc', {}, changes) + xmlElement('note', { type: 'reply' }, xmlText(reply.body)));
}
