import { beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import Ajv from 'ajv';
import type { ValidateFunction } from 'ajv';
import { exportNative } from '../../schema/exchange/export/native.ts';
import type { NativeExport } from '../../schema/exchange/export/native.ts';
import { NATIVE_EXPORT_SCHEMA } from '../../schema/exchange/export/native-schema.ts';
import { sha256Hex } from '../../schema/exchange/sha256.ts';
import { chapterFromJSON } from '../../schema/chapter/chapter-schema.ts';
import { projectChapter } from '../../schema/chapter/text-projection.ts';
import { EXPORT_OPTIONS, sampleRoom, snapshotOf } from '../helpers/export-builders.ts';

function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

describe('native annotated JSON export', () => {
  let validate: ValidateFunction;
  let doc: NativeExport;

  beforeAll(() => {
    validate = new Ajv({ allErrors: true }).compile(NATIVE_EXPORT_SCHEMA);
    doc = clone(exportNative(snapshotOf(sampleRoom()), EXPORT_OPTIONS));
  });

  it('validates against its own JSON Schema', () => {
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
  });

  it('is rejected by the schema when a field is missing, misspelt, unknown or out of the vocabulary', () => {
    const broken: [string, (d: NativeExport) => void][] = [
      ['no annotations', (d) => delete (d as Partial<NativeExport>).annotations],
      ['unknown kind', (d) => ((d.annotations[0] as { kind: string }).kind = 'rumour')],
      ['unknown field', (d) => ((d.annotations[0] as unknown as Record<string, unknown>).colour = 'red')],
      ['bad id', (d) => (d.annotations[0]!.id = 'x')],
      ['bad time', (d) => (d.annotations[0]!.created = 'last tuesday')],
      ['bad hash', (d) => (d.chapter.textSha256 = 'abc')],
      ['future version', (d) => ((d as { version: number }).version = 2)],
      ['reply without body', (d) => delete (d.annotations[0]!.replies[0] as Partial<NativeExport['annotations'][0]['replies'][0]>).body],
    ];
    for (const [what, mutate] of broken) {
      const copy = clone(doc);
      mutate(copy);
      expect(validate(copy), what).toBe(false);
    }
  });

  it('holds the chapter structure with block ids, its projection text and the SHA-256 of that text', () => {
    const projection = projectChapter(chapterFromJSON(doc.chapter.doc));
    expect(projection.text).toBe(doc.chapter.text);
    expect(doc.chapter.blocks.map((b) => b.id)).toEqual(['h-1', 'h-2', 'p-1', 'p-2', 'p-3', 'fn-1', 'fn-2']);
    expect(doc.chapter.blocks.filter((b) => b.type === 'footnote').map((b) => b.n)).toEqual([1, 2]);
    expect(doc.chapter.textSha256).toBe(createHash('sha256').update(doc.chapter.text, 'utf8').digest('hex'));
  });

  it('keeps every annotation field, the threads, the relations, the anchor states and the dismissals', () => {
    expect(doc.annotations).toHaveLength(10);
    const claim = doc.annotations.find((a) => a.note === 'See Khlevniuk.')!;
    expect(claim).toMatchObject({ kind: 'claim', claimStatus: 'sourced', footnotes: [1], authorName: 'Alice', created: '2024-05-01T10:00:00.000Z' });
    expect(claim.replies.map((r) => [r.authorName, r.body])).toEqual([
      ['Bob', 'Agreed, footnote 1 supports it.'],
      ['Carol', 'Second reply 𝔊.'],
    ]);
    const duplicate = doc.annotations.find((a) => a.problemType === 'duplication')!;
    expect(duplicate.related).toEqual([{ id: claim.id, relation: 'duplicate-of' }]);
    const applied = doc.annotations.find((a) => a.status === 'applied')!;
    expect(applied.applied).toEqual({ original: 'congres', by: 'u-owner', at: '2024-05-05T10:00:00.000Z' });
    expect(doc.annotations.map((a) => a.resolved.state).sort()).toEqual([...Array(8).fill('anchored'), 'degraded', 'orphaned'].sort());
    expect(doc.dismissed).toEqual([{ id: 'finding-duplicate-1', by: 'u-owner', at: '2024-05-03T08:00:00.000Z' }]);
  });

  it('gives the current range of each anchored annotation in UTF-16 offsets of chapter.text', () => {
    for (const a of doc.annotations.filter((x) => x.resolved.state === 'anchored')) {
      expect(doc.chapter.text.slice(a.resolved.start!, a.resolved.end!)).toBe(a.anchor.quote.exact);
    }
    const orphan = doc.annotations.find((a) => a.resolved.state === 'orphaned')!;
    expect(orphan.resolved).toEqual({ state: 'orphaned', start: null, end: null });
    expect(orphan.anchor.quote.exact).toBe('that will be deleted entirely');
  });

  it('is the same document when the same room is exported twice', () => {
    const room = sampleRoom('twice');
    expect(JSON.stringify(exportNative(snapshotOf(room), EXPORT_OPTIONS))).toBe(JSON.stringify(exportNative(snapshotOf(room), EXPORT_OPTIONS)));
  });
});

describe('sha256Hex', () => {
  it('matches node:crypto on empty, block-boundary, astral and lone-surrogate input', () => {
    for (const text of ['', 'abc', 'a'.repeat(55), 'a'.repeat(56), 'a'.repeat(64), 'Gosplan 𝔊 — «Сталин»', 'lone \ud800 surrogate']) {
      expect(sha256Hex(text), JSON.stringify(text)).toBe(createHash('sha256').update(text, 'utf8').digest('hex'));
    }
  });
});
