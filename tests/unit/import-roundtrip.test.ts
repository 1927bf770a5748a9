import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import * as Y from 'yjs';
import { exportNative } from '../../schema/exchange/export/native.ts';
import type { NativeExport } from '../../schema/exchange/export/native.ts';
import { exportW3C } from '../../schema/exchange/export/w3c.ts';
import { listAnnotations } from '../../schema/annotations/layout.ts';
import { EXPORT_OPTIONS, IMPORTER, emptyCopy, importInto, normaliseNative, sampleRoom, snapshotOf } from '../helpers/export-builders.ts';
import type { TestRoom } from '../helpers/export-builders.ts';

function nativeOf(room: TestRoom): NativeExport {
  return JSON.parse(JSON.stringify(exportNative(snapshotOf(room), EXPORT_OPTIONS))) as NativeExport;
}

function stateOf(room: TestRoom): string {
  return Buffer.from(Y.encodeStateAsUpdate(room.annotationsDoc)).toString('base64');
}

describe('native export → import into an empty room → export (C2)', () => {
  it('gives the same apparatus after normalisation: notes, statuses, links, threads, anchor states, origins', () => {
    const source = sampleRoom();
    const target = emptyCopy(source);
    const file = nativeOf(source);
    const result = importInto(target, JSON.stringify(file));
    expect(result.ok && result.report).toMatchObject({ imported: 10, skipped: 0, replies: { imported: 4, skipped: 0 }, dismissed: { imported: 1 }, refused: [] });
    expect(normaliseNative(nativeOf(target))).toEqual(normaliseNative(file));
  });

  it('equals importing once when the same file is imported twice', () => {
    const source = sampleRoom();
    const target = emptyCopy(source);
    const text = JSON.stringify(nativeOf(source));
    importInto(target, text);
    const once = stateOf(target);
    const again = importInto(target, text, { now: '2024-07-02T09:00:00.000Z' });
    expect(again.ok && again.report).toMatchObject({ imported: 0, skipped: 10, replies: { imported: 0, skipped: 4 }, dismissed: { imported: 0, skipped: 1 } });
    expect(stateOf(target)).toBe(once);
  });

  it('makes the importing owner the author of record and keeps the file’s authorship as provenance', () => {
    const source = sampleRoom();
    const target = emptyCopy(source);
    importInto(target, JSON.stringify(nativeOf(source)), { now: '2024-07-01T09:00:00.000Z' });
    const imported = listAnnotations(target.annotationsDoc);
    expect(new Set(imported.map((a) => a.authorId))).toEqual(new Set([IMPORTER.userId]));
    expect(new Set(imported.map((a) => a.created))).toEqual(new Set(['2024-07-01T09:00:00.000Z']));
    const claim = imported.find((a) => a.note === 'See Khlevniuk.')!;
    expect(claim.provenance).toMatchObject({
      source: 'import',
      format: 'native',
      importedBy: IMPORTER.userId,
      originalCreator: 'Alice',
      originalCreatorId: 'u-alice',
      originalCreated: '2024-05-01T10:00:00.000Z',
    });
    const suggested = imported.find((a) => a.note.startsWith('@mention'))!;
    expect(JSON.parse(String(suggested.provenance?.priorProvenance))).toEqual({ source: 'assistant', detector: 'unsourced', findingId: 'f-unsourced-1' });
  });

  it('keeps the first origin when an export of imported annotations is imported again elsewhere', () => {
    const first = emptyCopy(sampleRoom(), 'first');
    importInto(first, JSON.stringify(nativeOf(sampleRoom('again'))));
    const second = emptyCopy(first, 'second');
    importInto(second, JSON.stringify(nativeOf(first)), { now: '2024-08-01T09:00:00.000Z' });
    const claim = listAnnotations(second.annotationsDoc).find((a) => a.note === 'See Khlevniuk.')!;
    expect(claim.provenance).toMatchObject({ originalCreator: 'Alice', importedAt: '2024-08-01T09:00:00.000Z' });
  });

  it('writes nothing in a dry run but reports what it would do', () => {
    const source = sampleRoom();
    const target = emptyCopy(source);
    const before = stateOf(target);
    const result = importInto(target, JSON.stringify(nativeOf(source)), { dryRun: true });
    expect(result.ok && result.report).toMatchObject({ dryRun: true, imported: 10, refused: [] });
    expect(stateOf(target)).toBe(before);
  });

  it('writes nothing when one annotation is refused, and names its index, id and reason', () => {
    const source = sampleRoom();
    const target = emptyCopy(source);
    const file = nativeOf(source);
    file.annotations[3]!.footnotes = [99];
    const before = stateOf(target);
    const result = importInto(target, JSON.stringify(file));
    expect(result.ok && result.report.refused).toEqual([{ index: 3, id: file.annotations[3]!.id, reason: expect.stringContaining('no footnote 99') }]);
    expect(stateOf(target)).toBe(before);
  });

  it('places annotations by quote when the target text has moved, and refuses quotes it lacks', () => {
    const source = sampleRoom();
    const file = nativeOf(source);
    const target = emptyCopy(source);
    // The file was exported from a text 7 characters longer at the start: every position is
    // off in this room, and the quotes must find their words.
    const shifted = nativeOf(source);
    shifted.chapter.text = `PREFIX ${file.chapter.text}`;
    shifted.chapter.textSha256 = sha256(shifted.chapter.text);
    for (const a of shifted.annotations) if (a.resolved.start !== null) (a.resolved.start += 7), (a.resolved.end! += 7);
    const moved = importInto(target, JSON.stringify(shifted));
    expect(moved.ok && moved.report.refused).toEqual([]);
    expect(normaliseNative(nativeOf(target))).toEqual(normaliseNative(file));

    const missing = nativeOf(source);
    missing.chapter.text = missing.chapter.text.replace('Kirov spoke', 'Kirow spoke');
    missing.chapter.textSha256 = sha256(missing.chapter.text);
    const refused = importInto(emptyCopy(source), JSON.stringify(missing));
    expect(refused.ok && refused.report.refused.map((r) => r.reason)).toEqual([expect.stringContaining('is not in the text')]);
  });
});

describe('W3C export → import into an empty room', () => {
  it('carries kinds, statuses, problem types, notes, corrections, footnotes, relations and replies', () => {
    const source = sampleRoom();
    const target = emptyCopy(source);
    const w3c = exportW3C(snapshotOf(source), EXPORT_OPTIONS);
    // An orphan has no words left to anchor to: a W3C import refuses it (native keeps it).
    const result = importInto(target, JSON.stringify(w3c));
    expect(result.ok && result.report.refused).toEqual([expect.objectContaining({ reason: expect.stringContaining('is not in the text') })]);
    w3c.first.items = w3c.first.items.filter((a) => a['apparatus:anchorState'] !== 'orphaned');
    const again = importInto(target, JSON.stringify(w3c));
    expect(again.ok && again.report).toMatchObject({ imported: 9, replies: { imported: 4 }, refused: [] });
    const pick = (doc: NativeExport) =>
      doc.annotations
        .filter((a) => a.resolved.state !== 'orphaned')
        .map((a) => ({ id: a.id, kind: a.kind, claimStatus: a.claimStatus, problemType: a.problemType, status: a.status, note: a.note, correction: a.correction, footnotes: a.footnotes, related: a.related, replies: a.replies.map((r) => r.body), applied: a.applied?.original ?? null, range: [a.resolved.start, a.resolved.end] }))
        .sort((x, y) => (x.id < y.id ? -1 : 1));
    expect(pick(nativeOf(target))).toEqual(pick(nativeOf(source)));
  });
});

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
