import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { bringsNothingNew, outlineUpdate } from '../../server/collab/update-outline.ts';
import { mulberry32 } from '../helpers/seeded-random.ts';

/** What Y.decodeUpdate says an update covers, per client section, and deletes. */
function decodedRanges(update: Uint8Array) {
  const { structs, ds } = Y.decodeUpdate(update);
  const sections = new Map<number, { clock: number; length: number }>();
  for (const struct of structs) {
    const section = sections.get(struct.id.client);
    if (section) section.length = struct.id.clock + struct.length - section.clock;
    else sections.set(struct.id.client, { clock: struct.id.clock, length: struct.length });
  }
  const deletes = [...ds.clients].flatMap(([client, ranges]) => ranges.map((r) => ({ client, clock: r.clock, length: r.len })));
  return { sections, deletes };
}

describe('the update outline (issue 14, P3)', () => {
  it('covers exactly the clocks and deletions Y.decodeUpdate finds, for every kind of content', () => {
    const seed = Number(process.env.OUTLINE_SEED ?? 7);
    const next = mulberry32(seed);
    for (let round = 0; round < 30; round++) {
      const doc = new Y.Doc();
      const text = doc.getText('t');
      const map = doc.getMap('m');
      const xml = doc.getXmlFragment('x');
      const updates: Uint8Array[] = [];
      doc.on('update', (update: Uint8Array) => updates.push(update));
      for (let step = 0; step < 20; step++) {
        const pick = Math.floor(next() * 8);
        doc.transact(() => {
          if (pick === 0) text.insert(Math.floor(next() * (text.length + 1)), 'aé€😀'.slice(0, 1 + Math.floor(next() * 5)));
          if (pick === 1 && text.length > 1) text.delete(0, 1);
          if (pick === 2) map.set(`k${step}`, { nested: [1, 2.5, 'x', null, true, { deep: [[]] }], big: 2 ** 40 });
          if (pick === 3) map.set(`b${step}`, new Uint8Array([1, 2, 3]));
          if (pick === 4) map.set(`y${step}`, new Y.Map());
          if (pick === 5) xml.insert(0, [new Y.XmlElement('p'), new Y.XmlText('hi')]);
          if (pick === 6) text.format(0, Math.min(1, text.length), { bold: { level: [1] } });
          if (pick === 7) text.insertEmbed(0, { image: 'x.png' });
        });
      }
      for (const update of [...updates, Y.encodeStateAsUpdate(doc)]) {
        const outline = outlineUpdate(update, { maxJsonDepth: 64 });
        if (!outline.ok) throw new Error(`seed ${seed}: ${outline.error}`);
        const expected = decodedRanges(update);
        expect(outline.value.structs.map((r) => [r.client, r.clock, r.length])).toEqual([...expected.sections].map(([client, r]) => [client, r.clock, r.length]));
        expect(outline.value.deletes).toEqual(expected.deletes);
      }
    }
  });

  it('refuses JSON and values nested deeper than the limit, and garbage, without throwing', () => {
    const doc = new Y.Doc();
    let deep: unknown = 1;
    for (let i = 0; i < 70; i++) deep = [deep];
    doc.getMap('m').set('deep', deep);
    expect(outlineUpdate(Y.encodeStateAsUpdate(doc), { maxJsonDepth: 64 })).toMatchObject({ ok: false, tooDeep: true });
    expect(outlineUpdate(Y.encodeStateAsUpdate(doc)).ok).toBe(true);
    const json = new Y.Doc();
    json.getText('t').insertEmbed(0, JSON.parse('['.repeat(100) + ']'.repeat(100)));
    expect(outlineUpdate(Y.encodeStateAsUpdate(json), { maxJsonDepth: 64 })).toMatchObject({ ok: false, tooDeep: true });
    expect(outlineUpdate(new Uint8Array([1, 1, 5, 0, 99]))).toMatchObject({ ok: false });
    expect(outlineUpdate(new Uint8Array([]))).toMatchObject({ ok: false });
  });

  it('says an update brings nothing new when every clock and deletion is already in the document', () => {
    const doc = new Y.Doc();
    doc.getText('t').insert(0, 'hello');
    doc.getText('t').delete(0, 2);
    const replica = new Y.Doc();
    Y.applyUpdate(replica, Y.encodeStateAsUpdate(doc));
    const echo = outlineUpdate(Y.encodeStateAsUpdate(replica, Y.encodeStateVector(doc)));
    expect(echo.ok && bringsNothingNew(echo.value, doc)).toBe(true);
    replica.getText('t').delete(0, 1);
    const change = outlineUpdate(Y.encodeStateAsUpdate(replica, Y.encodeStateVector(doc)));
    expect(change.ok && bringsNothingNew(change.value, doc)).toBe(false);
  });
});
