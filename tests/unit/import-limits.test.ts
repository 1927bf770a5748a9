import { describe, expect, it } from 'vitest';
import { exportNative } from '../../schema/exchange/export/native.ts';
import type { NativeExport } from '../../schema/exchange/export/native.ts';
import { DEFAULT_IMPORT_LIMITS, findForbiddenKey, parseImportJson, utf8Length } from '../../schema/exchange/import/limits.ts';
import { EXPORT_OPTIONS, emptyCopy, importInto, sampleRoom, snapshotOf } from '../helpers/export-builders.ts';

function nativeFile(): NativeExport {
  return JSON.parse(JSON.stringify(exportNative(snapshotOf(sampleRoom()), EXPORT_OPTIONS))) as NativeExport;
}

describe('import file checks', () => {
  it('refuses __proto__, constructor and prototype keys at any depth, naming where', () => {
    expect(findForbiddenKey(JSON.parse('{"a":[{"b":{"__proto__":{"polluted":true}}}]}'))).toEqual({ key: '__proto__', path: '$.a[0].b' });
    expect(findForbiddenKey(JSON.parse('{"constructor":{"prototype":{}}}'))?.key).toBe('constructor');
    expect(findForbiddenKey({ fine: [1, { nested: 'x' }] })).toBeNull();
    const result = parseImportJson('{"annotations":[{"__proto__":{"isAdmin":true}}]}');
    expect(result).toEqual({ ok: false, error: { code: 'forbidden-key', message: expect.stringContaining('"__proto__" at $.annotations[0]') } });
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
  });

  it('refuses a file over the byte limit before parsing it, counting UTF-8 bytes', () => {
    expect(utf8Length('a𝔊é')).toBe(1 + 4 + 2);
    const result = parseImportJson(`"${'x'.repeat(100)}"`, { ...DEFAULT_IMPORT_LIMITS, maxBytes: 50 });
    expect(result.ok === false && result.error.code).toBe('too-large');
  });

  it('refuses text that is not JSON with the parser’s message', () => {
    const result = parseImportJson('{"annotations": [');
    expect(result.ok === false && result.error).toMatchObject({ code: 'invalid-json', message: expect.stringContaining('not valid JSON') });
  });

  it('refuses more annotations than the configured limit, in either format', () => {
    const room = emptyCopy(sampleRoom());
    const limits = { ...DEFAULT_IMPORT_LIMITS, maxAnnotations: 3 };
    const native = importInto(room, JSON.stringify(nativeFile()), { limits });
    expect(native.ok === false && native.error.code).toBe('too-many-annotations');
    const w3c = importInto(room, JSON.stringify(Array.from({ length: 4 }, () => ({ type: 'Annotation' }))), { limits });
    expect(w3c.ok === false && w3c.error.message).toContain('4 annotations, over the limit of 3');
  });

  it('refuses a native file whose text hash does not match its text, or of another version', () => {
    const room = emptyCopy(sampleRoom());
    const tampered = nativeFile();
    tampered.chapter.text += ' ';
    const hash = importInto(room, JSON.stringify(tampered));
    expect(hash.ok === false && hash.error.message).toContain('textSha256 does not match');
    const future = { ...nativeFile(), version: 2 };
    const version = importInto(room, JSON.stringify(future));
    expect(version.ok === false && version.error.message).toContain('unsupported native version 2');
  });

  it('refuses a document that is neither native nor W3C', () => {
    const result = importInto(emptyCopy(sampleRoom()), JSON.stringify({ hello: 'world' }));
    expect(result.ok === false && result.error).toMatchObject({ code: 'invalid-format', message: expect.stringContaining('unknown document type') });
  });

  it('refuses the second of two annotations with the same id', () => {
    const file = nativeFile();
    file.annotations[4] = { ...file.annotations[4]!, id: file.annotations[1]!.id };
    const result = importInto(emptyCopy(sampleRoom()), JSON.stringify(file));
    expect(result.ok && result.report.refused).toEqual([{ index: 4, id: file.annotations[1]!.id, reason: `duplicate id ${file.annotations[1]!.id}: also at index 1` }]);
  });

  it('refuses out-of-range resolved ranges and selectors', () => {
    const file = nativeFile();
    file.annotations[0]!.resolved = { state: 'anchored', start: 5, end: file.chapter.text.length + 10 };
    const native = importInto(emptyCopy(sampleRoom()), JSON.stringify(file));
    expect(native.ok && native.report.refused[0]?.reason).toContain('out of range');
    const w3c = [{ id: 'urn:x:1', type: 'Annotation', target: { source: 'urn:t', selector: { type: 'TextPositionSelector', start: 10, end: 999_999 } } }];
    const result = importInto(emptyCopy(sampleRoom()), JSON.stringify(w3c));
    expect(result.ok && result.report.refused[0]?.reason).toContain('TextPositionSelector [10, 999999) is out of range');
  });
});
