import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BlockTable } from '../../schema/anchoring/block-table.ts';
import { createAnchor } from '../../schema/anchoring/create-anchor.ts';
import { pmPositionToRelativePosition, relativePositionToPmPosition } from '../../schema/anchoring/positions.ts';
import { resolveAnchor } from '../../schema/anchoring/resolve.ts';
import { importChapter } from '../../schema/chapter/importer.ts';
import { chapterFromJSON } from '../../schema/chapter/chapter-schema.ts';
import { projectChapter } from '../../schema/chapter/text-projection.ts';
import { projectYFragment } from '../../schema/chapter/y-text-projection.ts';
import { chapterDoc, heading, note, para } from '../helpers/chapter-doc-builder.ts';
import { TextEditor, textDocFrom } from '../helpers/text-doc-harness.ts';

const sample = () =>
  chapterDoc(
    heading('5. The *Soft* Course', 1),
    para("a 'moderate turn'.^130 This entailed |12|terminating the plan^131"),
    para(''),
    para('Kolkhoz members^132 were allowed to farm their own crofts.'),
    note(130, 'Khlevniuk O., *Chozjajin*, p. 177.'),
    note(131, 'Barsenkov, p. 231.'),
    note(132, 'Ibid.'),
  );

function table(editor: TextEditor): BlockTable {
  return new BlockTable(editor.fragment);
}

describe('plain-text projection computed from the Yjs fragment', () => {
  it('equals projectChapter of the ProseMirror document y-prosemirror builds', () => {
    const editor = new TextEditor(textDocFrom(sample()));
    expect(projectYFragment(editor.fragment)).toEqual(projectChapter(editor.doc()));
  });

  it('still equals projectChapter after splits, joins, deletions and undo', () => {
    const editor = new TextEditor(textDocFrom(sample()));
    editor.split(editor.find('This entailed').from);
    editor.insertText(editor.find('Kolkhoz').from, 'New words. ');
    editor.delete(editor.find('moderate').from, editor.find('moderate').to);
    editor.joinWithPrevious(3);
    editor.deleteBlock(1);
    editor.undo();
    expect(projectYFragment(editor.fragment)).toEqual(projectChapter(editor.doc()));
  });
});

describe('the real chapter (fixtures/chapter-5.txt)', () => {
  const imported = importChapter(readFileSync(path.resolve(import.meta.dirname, '../../fixtures/chapter-5.txt'), 'utf8'));
  if (!imported.ok) throw new Error(imported.error);
  const fixture = () => new TextEditor(textDocFrom(chapterFromJSON(imported.doc)));

  it('projects the same text from Yjs as from ProseMirror', () => {
    const editor = fixture();
    expect(projectYFragment(editor.fragment)).toEqual(projectChapter(editor.doc()));
  });

  it('anchors a sentence ending at a footnote marker and keeps it through typing after the marker', () => {
    const editor = fixture();
    const sentence = "So they decided to first alter their economic and social policies in what Oleg Khlevniuk described as a 'moderate turn'.";
    const anchor = createAnchor(editor.fragment, editor.find(sentence));
    if (!anchor.ok) throw new Error(anchor.error);
    expect(anchor.value.occurrences).toBe(1);
    const end = editor.find(sentence).to;
    editor.insertText(end + 1, ' [sic]');
    editor.insertText(end, '!');
    expect(resolveAnchor(editor.ydoc, anchor.value)).toMatchObject({ state: 'anchored', from: editor.find(sentence).from, to: end });
  });
});

describe('positions between ProseMirror and Yjs', () => {
  it('round-trips every position inside every block, for both range ends', () => {
    const editor = new TextEditor(textDocFrom(sample()));
    const doc = editor.doc();
    const blocks = table(editor);
    const failures: string[] = [];
    doc.forEach((block, offset) => {
      for (let pos = offset + 1; pos <= offset + 1 + block.content.size; pos++) {
        for (const bias of ['start', 'end'] as const) {
          const back = relativePositionToPmPosition(editor.ydoc, blocks, pmPositionToRelativePosition(blocks, pos, bias));
          if (back !== pos) failures.push(`${bias} ${pos} → ${back}`);
        }
      }
    });
    expect(failures).toEqual([]);
  });

  it('keeps a range end that sits before a footnote marker in place when text is typed after the marker', () => {
    const editor = new TextEditor(textDocFrom(sample()));
    const end = editor.find("'moderate turn'.").to;
    const rpos = pmPositionToRelativePosition(table(editor), end, 'end');
    editor.insertText(end + 1, ' (sic)');
    expect(relativePositionToPmPosition(editor.ydoc, table(editor), rpos)).toBe(end);
  });

  it('tightens a selection to the text it holds, leaving out markers and block edges', () => {
    const editor = new TextEditor(textDocFrom(sample()));
    const doc = editor.doc();
    const turn = editor.find("'moderate turn'.");
    // From just inside the quote to just after the footnote marker and into the next text.
    const anchor = createAnchor(editor.fragment, { from: turn.from, to: turn.to + 1 });
    expect(anchor.ok && anchor.value.quote.exact).toBe("'moderate turn'.");
    const resolved = anchor.ok ? resolveAnchor(editor.ydoc, anchor.value) : null;
    expect(resolved).toMatchObject({ state: 'anchored', from: turn.from, to: turn.to });
    expect(doc.textBetween(turn.from, turn.to)).toBe("'moderate turn'.");
  });

  it('refuses a range that holds no text', () => {
    const editor = new TextEditor(textDocFrom(sample()));
    const marker = editor.find("'moderate turn'.").to;
    expect(createAnchor(editor.fragment, { from: marker, to: marker + 1 })).toEqual({ ok: false, error: 'the selected range holds no text' });
  });

  it('records quote, context, position, block id and occurrences', () => {
    const editor = new TextEditor(textDocFrom(sample()));
    const anchor = createAnchor(editor.fragment, editor.find('Kolkhoz members'));
    expect(anchor.ok).toBe(true);
    if (!anchor.ok) return;
    const text = editor.text();
    const start = text.indexOf('Kolkhoz members');
    expect(anchor.value).toMatchObject({
      quote: { exact: 'Kolkhoz members', prefix: text.slice(start - 32, start), suffix: text.slice(start + 15, start + 47) },
      position: { start, end: start + 15 },
      blockId: 'p-3',
      occurrences: 1,
    });
    expect(anchor.value.end.assoc).toBe(-1);
    expect(anchor.value.start.assoc).toBe(0);
  });
});
