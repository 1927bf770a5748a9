import { DOMParser } from '@xmldom/xmldom';
import { strFromU8, unzipSync } from 'fflate';

/**
 * An independent reader of .docx files for tests: unzips with fflate and parses the parts with
 * @xmldom/xmldom (strict: any XML error throws), then walks WordprocessingML as the standard
 * defines it, without the docx package that wrote the file.
 */

const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
const W15 = 'http://schemas.microsoft.com/office/word/2012/wordml';
const W14 = 'http://schemas.microsoft.com/office/word/2010/wordml';

type XmlElement = ReturnType<DOMParser['parseFromString']>['documentElement'];

// XML 1.0 §2.2 Char: what a conforming parser (Word's, libxml2's) accepts; xmldom does not check it.
const NOT_XML_CHAR = /[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/u;

/** Parses one XML part, throwing on any warning or error or a character XML forbids (a file Word would refuse). */
export function parseXml(text: string, part: string): XmlElement {
  const bad = NOT_XML_CHAR.exec(text);
  if (bad) throw new Error(`${part}: U+${bad[0].charCodeAt(0).toString(16).padStart(4, '0')} at ${bad.index} is not an XML character`);
  const fail = (level: string) => (message: string) => {
    throw new Error(`${part}: XML ${level}: ${message}`);
  };
  const parser = new DOMParser({ errorHandler: { warning: fail('warning'), error: fail('error'), fatalError: fail('fatal error') } });
  return parser.parseFromString(text, 'application/xml').documentElement;
}

function children(element: XmlElement): XmlElement[] {
  const out: XmlElement[] = [];
  for (let node = element.firstChild; node; node = node.nextSibling) if (node.nodeType === 1) out.push(node as XmlElement);
  return out;
}

function descendants(element: XmlElement, localName: string, ns = W): XmlElement[] {
  const list = element.getElementsByTagNameNS(ns, localName);
  const out: XmlElement[] = [];
  for (let i = 0; i < list.length; i++) out.push(list.item(i) as XmlElement);
  return out;
}

const attr = (element: XmlElement, name: string, ns = W): string | null => (element.hasAttributeNS(ns, name) ? element.getAttributeNS(ns, name) : null);

/** One step of a story (the body, or one footnote) read in order. */
export type StoryToken =
  | { kind: 'text'; text: string; revision: 'none' | 'ins' | 'del'; author: string | null; date: string | null }
  | { kind: 'paragraph-end'; deleted: { author: string | null; date: string | null } | null }
  | { kind: 'comment-start'; id: number }
  | { kind: 'comment-end'; id: number }
  | { kind: 'footnote-reference'; id: number; customMark: boolean };

function runTokens(run: XmlElement, revision: 'none' | 'ins' | 'del', change: XmlElement | null, out: StoryToken[]): void {
  for (const child of children(run)) {
    const author = change ? attr(change, 'author') : null;
    const date = change ? attr(change, 'date') : null;
    if (child.localName === 't' || child.localName === 'delText') out.push({ kind: 'text', text: child.textContent ?? '', revision, author, date });
    else if (child.localName === 'tab') out.push({ kind: 'text', text: '\t', revision, author, date });
    else if (child.localName === 'footnoteReference') out.push({ kind: 'footnote-reference', id: Number(attr(child, 'id')), customMark: attr(child, 'customMarkFollows') === '1' });
  }
}

function paragraphTokens(paragraph: XmlElement, out: StoryToken[]): StoryToken[] {
  for (const child of children(paragraph)) {
    if (child.localName === 'r') runTokens(child, 'none', null, out);
    else if (child.localName === 'ins' || child.localName === 'del') for (const run of children(child)) runTokens(run, child.localName, child, out);
    else if (child.localName === 'commentRangeStart') out.push({ kind: 'comment-start', id: Number(attr(child, 'id')) });
    else if (child.localName === 'commentRangeEnd') out.push({ kind: 'comment-end', id: Number(attr(child, 'id')) });
  }
  const markDeletion = descendants(paragraph, 'pPr').flatMap((pPr) => descendants(pPr, 'del'))[0];
  out.push({ kind: 'paragraph-end', deleted: markDeletion ? { author: attr(markDeletion, 'author'), date: attr(markDeletion, 'date') } : null });
  return out;
}

/** The tokens of a story: every paragraph under `root`, in order. */
export function storyTokens(root: XmlElement): StoryToken[] {
  const out: StoryToken[] = [];
  for (const paragraph of descendants(root, 'p')) paragraphTokens(paragraph, out);
  return out;
}

/** A tracked replacement: consecutive deletions (paragraph marks included) and the insertion after them. */
export interface TrackedChange {
  deleted: string;
  inserted: string;
  author: string | null;
  date: string | null;
}

/** Groups a story's revisions into replacements; deleted paragraph marks read as the projection's `\n\n`. */
export function trackedChanges(tokens: readonly StoryToken[]): TrackedChange[] {
  const changes: TrackedChange[] = [];
  let current: TrackedChange | null = null;
  for (const token of tokens) {
    if (token.kind === 'text' && token.revision === 'del') {
      current ??= { deleted: '', inserted: '', author: token.author, date: token.date };
      if (current.inserted !== '') throw new Error('a deletion follows an insertion inside one change');
      current.deleted += token.text;
    } else if (token.kind === 'text' && token.revision === 'ins') {
      if (!current) changes.push({ deleted: '', inserted: token.text, author: token.author, date: token.date });
      else current.inserted += token.text;
    } else if (token.kind === 'paragraph-end' && token.deleted && current) {
      current.deleted += '\n\n';
    } else if (token.kind === 'text' || token.kind === 'paragraph-end') {
      if (current) changes.push(current);
      current = null;
    }
  }
  if (current) changes.push(current);
  return changes;
}

/** The text each comment spans, as it read before the review: unchanged and deleted text, not inserted, paragraphs joined by `\n\n`. */
export function commentSpans(tokens: readonly StoryToken[]): Map<number, string> {
  const open = new Map<number, string>();
  const spans = new Map<number, string>();
  for (const token of tokens) {
    if (token.kind === 'comment-start') open.set(token.id, '');
    else if (token.kind === 'comment-end') {
      if (!open.has(token.id)) throw new Error(`comment ${token.id} ends before it starts`);
      spans.set(token.id, open.get(token.id)!);
      open.delete(token.id);
    } else if (token.kind === 'text' && token.revision !== 'ins') for (const id of open.keys()) open.set(id, open.get(id)! + token.text);
    else if (token.kind === 'paragraph-end') for (const id of open.keys()) open.set(id, open.get(id)! + '\n\n');
  }
  if (open.size > 0) throw new Error(`comments ${[...open.keys()].join(', ')} never end`);
  return spans;
}

/** One Word comment: its author, date, text (paragraphs joined by `\n`) and its parent's id when it is a reply. */
export interface WordComment {
  id: number;
  author: string | null;
  date: string | null;
  text: string;
  parentId: number | null;
  done: boolean;
}

/** A .docx read back. */
export interface ReadDocx {
  parts: string[];
  document: XmlElement;
  body: StoryToken[];
  /** Footnotes in file order (separators left out), each with its Word id and tokens. */
  footnotes: { id: number; tokens: StoryToken[]; text: string }[];
  comments: WordComment[];
  /** The `w:numStart` of the section's footnote numbering, or null. */
  footnoteNumberStart: number | null;
  /** Whether settings.xml switches revision tracking on. */
  trackRevisions: boolean;
  /** The ids of every insertion and deletion (paragraph marks included), in the body and the notes. */
  revisionIds: number[];
  /** How many comment marks (range starts, ends, references) the footnotes hold. */
  commentMarksInFootnotes: number;
}

const plainText = (tokens: readonly StoryToken[]) => tokens.map((t) => (t.kind === 'text' && t.revision !== 'del' ? t.text : '')).join('');

function readComments(commentsXml: string | undefined, extendedXml: string | undefined): WordComment[] {
  if (!commentsXml) return [];
  const threads = new Map<string, { parent: string | null; done: boolean }>();
  if (extendedXml) {
    for (const entry of descendants(parseXml(extendedXml, 'commentsExtended.xml'), 'commentEx', W15)) {
      threads.set(attr(entry, 'paraId', W15)!, { parent: attr(entry, 'paraIdParent', W15), done: attr(entry, 'done', W15) === '1' });
    }
  }
  const comments = descendants(parseXml(commentsXml, 'comments.xml'), 'comment').map((comment) => {
    const paragraphs = descendants(comment, 'p');
    const paraId = paragraphs.length > 0 ? attr(paragraphs.at(-1)!, 'paraId', W14) : null;
    return { comment, paraId, paragraphs };
  });
  const idOfPara = new Map(comments.map(({ comment, paraId }) => [paraId, Number(attr(comment, 'id'))]));
  return comments.map(({ comment, paraId, paragraphs }) => {
    const thread = paraId ? threads.get(paraId) : undefined;
    return {
      id: Number(attr(comment, 'id')),
      author: attr(comment, 'author'),
      date: attr(comment, 'date'),
      text: paragraphs.map((p) => plainText(paragraphTokens(p, []))).join('\n'),
      parentId: thread?.parent ? (idOfPara.get(thread.parent) ?? null) : null,
      done: thread?.done ?? false,
    };
  });
}

/** Reads a .docx: the body, the footnotes, the comments with their threads, and the settings the tests check. */
export function readDocx(bytes: Uint8Array): ReadDocx {
  const files = unzipSync(bytes);
  const part = (name: string) => (files[name] ? strFromU8(files[name]!) : undefined);
  const document = parseXml(part('word/document.xml')!, 'document.xml');
  const footnotesRoot = part('word/footnotes.xml') ? parseXml(part('word/footnotes.xml')!, 'footnotes.xml') : null;
  const footnotes = footnotesRoot
    ? descendants(footnotesRoot, 'footnote')
        .filter((f) => !attr(f, 'type'))
        .map((f) => {
          const tokens = storyTokens(f);
          return { id: Number(attr(f, 'id')), tokens, text: plainText(tokens) };
        })
    : [];
  const numStart = descendants(document, 'numStart').find((e) => (e.parentNode as XmlElement | null)?.localName === 'footnotePr');
  const settings = part('word/settings.xml');
  return {
    parts: Object.keys(files),
    document,
    body: storyTokens(descendants(document, 'body')[0]!),
    footnotes,
    comments: readComments(part('word/comments.xml'), part('word/commentsExtended.xml')),
    footnoteNumberStart: numStart ? Number(attr(numStart, 'val')) : null,
    trackRevisions: settings ? descendants(parseXml(settings, 'settings.xml'), 'trackRevisions').length > 0 : false,
    revisionIds: [document, ...(footnotesRoot ? [footnotesRoot] : [])].flatMap((root) => ['ins', 'del'].flatMap((name) => descendants(root, name).map((e) => Number(attr(e, 'id'))))),
    commentMarksInFootnotes: footnotesRoot ? ['commentRangeStart', 'commentRangeEnd', 'commentReference'].reduce((sum, name) => sum + descendants(footnotesRoot, name).length, 0) : 0,
  };
}

/** The text of a story as it reads with every change accepted (insertions kept, deletions dropped), paragraphs joined by `\n\n`. */
export function acceptedText(tokens: readonly StoryToken[]): string {
  let text = '';
  for (const token of tokens) {
    if (token.kind === 'text' && token.revision !== 'del') text += token.text;
    else if (token.kind === 'paragraph-end' && !token.deleted) text += '\n\n';
  }
  return text.replace(/\n\n$/, '');
}
