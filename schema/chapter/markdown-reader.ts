import { importFinding } from './import-report.ts';
import type { ImportFinding } from './import-report.ts';
import type { ImportResult } from './importer.ts';
import { buildStructuredChapter } from './structured-chapter.ts';
import type { SourceBlock, SourceInline, SourceNote } from './structured-chapter.ts';
import { normaliseChapterText } from './text-input.ts';

/**
 * Plain UTF-8 text or Markdown → a chapter: paragraphs separated by blank lines (lines of one
 * paragraph joined), `#` headings (and `===`/`---` underlined ones), `[^label]` footnote
 * references with `[^label]: text` definitions (continued by indented lines), `*italics*` and
 * `_italics_`. Bold, code, links and block quotes keep their text without the markup; images are
 * left out and reported. Plain text with none of this is simply paragraphs.
 */

const HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const NOTE_DEFINITION = /^ {0,3}\[\^([^\]\s]{1,100})\]:[ \t]?(.*)$/;
const SETEXT_UNDERLINE = /^ {0,3}(=+|-+)[ \t]*$/;
const THEMATIC_BREAK = /^ {0,3}([-*_])([ \t]*\1){2,}[ \t]*$/;
const LIST_ITEM = /^ {0,3}(?:[-*+]|\d{1,9}[.)])[ \t]+/;
const INDENTED = /^(?: {2,}|\t)/;

/** Reads the inline markup of one block's text (line numbers for findings). */
class InlineReader {
  readonly inlines: SourceInline[] = [];
  #italic = false;

  constructor(
    readonly text: string,
    readonly line: number,
    readonly findings: ImportFinding[],
  ) {}

  #push(text: string): void {
    if (text !== '') this.inlines.push({ kind: 'text', text, italic: this.#italic });
  }

  /** Whether a delimiter at `at` can open (followed by text) or close (preceded by text) emphasis. */
  #flanking(at: number, width: number): { opens: boolean; closes: boolean } {
    const before = this.text[at - 1] ?? ' ';
    const after = this.text[at + width] ?? ' ';
    const underscore = this.text[at] === '_';
    let opens = !/\s/.test(after);
    let closes = !/\s/.test(before);
    // snake_case words keep their underscores.
    if (underscore) {
      opens &&= !/[\p{L}\p{N}]/u.test(before);
      closes &&= !/[\p{L}\p{N}]/u.test(after);
    }
    return { opens, closes };
  }

  /** Whether a closing `delimiter` follows `from` in this block. */
  #closes(delimiter: string, from: number): boolean {
    for (let at = this.text.indexOf(delimiter, from); at !== -1; at = this.text.indexOf(delimiter, at + 1)) {
      if (this.text[at - 1] !== '\\' && this.#flanking(at, delimiter.length).closes) return true;
    }
    return false;
  }

  read(): SourceInline[] {
    const { text } = this;
    let plain = '';
    let strong = false;
    for (let i = 0; i < text.length; ) {
      const rest = text.slice(i);
      const note = /^\[\^([^\]\s]{1,100})\]/.exec(rest);
      const image = /^!\[([^\]]*)\]\([^)]*\)/.exec(rest);
      const link = /^\[([^\]]*)\]\([^)]*\)/.exec(rest);
      const code = /^(`+)([\s\S]*?)\1/.exec(rest);
      const doubled = rest.startsWith('**') || rest.startsWith('__') ? rest.slice(0, 2) : null;
      if (text[i] === '\\' && i + 1 < text.length && /[\\`*_{}[\]()#+\-.!^]/.test(text[i + 1]!)) {
        plain += text[i + 1];
        i += 2;
      } else if (note) {
        this.#push(plain);
        plain = '';
        this.inlines.push({ kind: 'note-ref', label: note[1]!, line: this.line });
        i += note[0].length;
      } else if (image) {
        this.findings.push(importFinding('left-out', this.line, `an image${image[1] ? ` ("${image[1].slice(0, 40)}")` : ''} was left out`));
        i += image[0].length;
      } else if (link) {
        plain += link[1];
        i += link[0].length;
      } else if (code) {
        plain += code[2];
        i += code[0].length;
      } else if (doubled && (strong ? this.#flanking(i, 2).closes : this.#flanking(i, 2).opens && this.#closes(doubled, i + 2))) {
        // Bold has no mark in a chapter: its text stays, the asterisks go.
        strong = !strong;
        i += 2;
      } else if ((text[i] === '*' || text[i] === '_') && (this.#italic ? this.#flanking(i, 1).closes : this.#flanking(i, 1).opens && this.#closes(text[i]!, i + 1))) {
        this.#push(plain);
        plain = '';
        this.#italic = !this.#italic;
        i += 1;
      } else {
        plain += text[i];
        i += 1;
      }
    }
    this.#push(plain);
    return this.inlines;
  }
}

/** A block being collected: its kind, level, first line and text lines. */
interface OpenBlock {
  kind: 'heading' | 'paragraph' | 'note';
  level: number;
  line: number;
  label: string;
  parts: string[];
}

/** Splits the source into headings, paragraphs and footnote definitions. */
function readBlocks(lines: readonly string[], findings: ImportFinding[]): { blocks: SourceBlock[]; notes: SourceNote[] } {
  const blocks: SourceBlock[] = [];
  const notes: SourceNote[] = [];
  let open: OpenBlock | null = null;
  let blankBefore = false;
  const close = () => {
    if (!open) return;
    const inlines = new InlineReader(open.parts.join(' '), open.line, findings).read();
    if (open.kind === 'note') notes.push({ label: open.label, inlines, line: open.line });
    else blocks.push({ kind: open.kind, level: open.level, inlines, line: open.line });
    open = null;
  };
  lines.forEach((raw, index) => {
    const line = index + 1;
    const current = open as OpenBlock | null;
    if (raw.trim() === '') {
      if (current?.kind !== 'note') close();
      blankBefore = true;
      return;
    }
    const heading = HEADING.exec(raw);
    const definition = NOTE_DEFINITION.exec(raw);
    const underline = SETEXT_UNDERLINE.exec(raw);
    if (current?.kind === 'note' && (!blankBefore || INDENTED.test(raw)) && !heading && !definition) {
      current.parts.push(raw.trim());
    } else if (underline && current?.kind === 'paragraph' && current.parts.length === 1 && !blankBefore) {
      current.kind = 'heading';
      current.level = underline[1]!.startsWith('=') ? 1 : 2;
      close();
    } else if (THEMATIC_BREAK.test(raw)) {
      close();
    } else if (heading) {
      close();
      blocks.push({ kind: 'heading', level: heading[1]!.length, inlines: new InlineReader(heading[2] ?? '', line, findings).read(), line });
    } else if (definition) {
      close();
      open = { kind: 'note', level: 0, line, label: definition[1]!, parts: [definition[2]!.trim()] };
    } else {
      if (current?.kind === 'note' || LIST_ITEM.test(raw)) close();
      const text = raw.replace(/^ {0,3}> ?/, '').replace(/^ {0,3}[-*+][ \t]+/, '').trim();
      if (open) (open as OpenBlock).parts.push(text);
      else open = { kind: 'paragraph', level: 0, line, label: '', parts: [text] };
    }
    blankBefore = false;
  });
  close();
  return { blocks, notes };
}

/**
 * Imports a chapter from plain text or Markdown. Returns the same result as the typeset
 * importer (`importChapter`): the document and a report, or a one-line reason (empty, binary).
 */
export function importMarkdownChapter(text: string): ImportResult {
  if (typeof text !== 'string') throw new TypeError(`importMarkdownChapter: text must be a string, got ${typeof text}`);
  const input = normaliseChapterText(text);
  if (!input.ok) return input;
  const lines = input.text.split('\n');
  const findings = [...input.findings];
  const { blocks, notes } = readBlocks(lines, findings);
  return buildStructuredChapter({ blocks, notes, lines: lines.length, findings });
}
