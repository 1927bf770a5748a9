import { DOMParser } from '@xmldom/xmldom';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/**
 * Reading a TEI export back in tests: a strict parse, and the reading text of its body as
 * docs/exports-tei-csv-iris.md defines it (the text as it stands: `sic` of a proposed
 * correction, `corr` of an applied one; each footnote as its own block after the body, by
 * number), which must equal the room's plain-text projection.
 */

const TEI_NS = 'http://www.tei-c.org/ns/1.0';

/** Parses XML, throwing on any error or warning the parser reports. */
export function parseXmlStrict(text: string): Document {
  const fail = (level: string) => (message: string) => {
    throw new Error(`XML ${level}: ${message}`);
  };
  const parser = new DOMParser({ errorHandler: { warning: fail('warning'), error: fail('error'), fatalError: fail('fatal error') } });
  return parser.parseFromString(text, 'application/xml') as unknown as Document;
}

/** Every element named `name` in the TEI namespace, in document order. */
export function teiElements(root: Document | Element, name: string): Element[] {
  return Array.from(root.getElementsByTagNameNS(TEI_NS, name));
}

function readInline(node: Node): string {
  if (node.nodeType === 3 || node.nodeType === 4) return (node as Text).data;
  if (node.nodeType !== 1) return '';
  const element = node as Element;
  // A footnote is a block of its own; its marker adds no text (as in the projection).
  if (element.localName === 'note') return '';
  if (element.localName === 'choice') {
    const corr = Array.from(element.childNodes).find((child): child is Element => child.nodeType === 1 && (child as Element).localName === 'corr');
    const applied = corr?.getAttribute('type') === 'applied';
    const current = Array.from(element.childNodes).find((child) => child.nodeType === 1 && (child as Element).localName === (applied ? 'corr' : 'sic'));
    return current ? readInline(current) : '';
  }
  return Array.from(element.childNodes).map(readInline).join('');
}

/** The reading text of a TEI document's body: headings and paragraphs, then footnotes by number. */
export function teiReadingText(doc: Document): string {
  const body = teiElements(doc, 'body')[0];
  if (!body) throw new Error('no body');
  const blocks: Element[] = [];
  const notes: Element[] = [];
  const walk = (node: Node) => {
    if (node.nodeType !== 1) return;
    const element = node as Element;
    if (element.localName === 'head' || element.localName === 'p') blocks.push(element);
    if (element.localName === 'note' && element.getAttribute('place') === 'foot') notes.push(element);
    for (const child of Array.from(element.childNodes)) walk(child);
  };
  walk(body);
  notes.sort((a, b) => Number(a.getAttribute('n')) - Number(b.getAttribute('n')));
  return [...blocks, ...notes].map((block) => Array.from(block.childNodes).map(readInline).join('')).join('\n\n');
}

/** xmllint, when installed (scripts/setup.mjs TEST_PACKAGES installs it for tests). */
export const XMLLINT = ['/usr/bin/xmllint', '/usr/local/bin/xmllint'].find((file) => existsSync(file)) ?? null;

/** Runs xmllint on files; `schema` adds RELAX NG validation. Returns its exit status and messages. */
export function xmllint(files: string[], schema?: string): { status: number | null; output: string } {
  if (!XMLLINT) throw new Error('xmllint is not installed');
  const args = ['--noout', ...(schema ? ['--relaxng', schema] : []), ...files];
  const run = spawnSync(XMLLINT, args, { encoding: 'utf8', timeout: 120_000 });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}
