/**
 * Typed ProseMirror JSON for a chapter in `chapterSchema`: what the importer produces and
 * what `chapterFromJSON` accepts. Only the shapes the importer emits are modelled; a node
 * without content omits the `content` key, as ProseMirror's own `toJSON` does.
 */

/** The `em` mark, the only mark of the chapter schema. */
export interface EmMarkJSON {
  type: 'em';
}

/** A run of text, optionally in italics. */
export interface TextJSON {
  type: 'text';
  text: string;
  marks?: EmMarkJSON[];
}

/** A footnote marker in running text: the superscript `¹³⁰` of the printed page. */
export interface FootnoteRefJSON {
  type: 'footnote_ref';
  attrs: { n: number };
}

/** The place where an original printed page began. */
export interface PageBreakJSON {
  type: 'page_break';
  attrs: { page: number };
}

/** Any inline node of a chapter. */
export type ChapterInlineJSON = TextJSON | FootnoteRefJSON | PageBreakJSON;

/** The chapter title (level 1) or a section heading (level 2). */
export interface HeadingJSON {
  type: 'heading';
  attrs: { level: 1 | 2; id: string };
  content?: ChapterInlineJSON[];
}

/** A body paragraph. */
export interface ParagraphJSON {
  type: 'paragraph';
  attrs: { id: string };
  content?: ChapterInlineJSON[];
}

/** A footnote's whole text; its number is the `n` attribute, not part of the text. */
export interface FootnoteJSON {
  type: 'footnote';
  attrs: { n: number; id: string };
  content?: ChapterInlineJSON[];
}

/** Any top-level block of a chapter. */
export type ChapterBlockJSON = HeadingJSON | ParagraphJSON | FootnoteJSON;

/** A whole chapter document: headings and paragraphs in reading order, then footnotes by number. */
export interface ChapterJSON {
  type: 'doc';
  content: ChapterBlockJSON[];
}
