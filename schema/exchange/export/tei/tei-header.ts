import { sha256Hex } from '../../sha256.ts';
import { GENERATOR } from '../w3c.ts';
import { categoryId, TAXONOMY_GROUPS } from './tei-context.ts';
import type { TeiContext, TeiPerson } from './tei-context.ts';
import { xmlElement, xmlText } from './xml-text.ts';

/**
 * How the TEI text encodes the apparatus, stated in the header itself so that a reader of the
 * file needs no other documentation.
 */
const EDITORIAL_DECLARATION = [
  'The text is the chapter as it stands in the Apparatus room at export time. Footnotes are given as note elements (place="foot") at their first marker; later markers are ptr elements pointing at the note.',
  'Each annotation marks its passage with a seg element, or with a pair of anchor elements where its passage crosses another annotation or a block boundary; the standOff annotation of the same id points at the passage and carries the note, the replies, the people and the times.',
  'A textual problem with a correction is a choice: for a correction that was only proposed, sic holds the text as it stands and corr (type="proposed") the proposal; for a correction the owner applied to the text, sic holds the replaced original and corr (type="applied") the text as it stands. The cert attribute of corr gives the review status (open: medium, resolved or applied: high, rejected: low).',
];

const CERT_NOTE = 'ana attributes point at the categories of the taxonomy below; each category corresponds to a term of the Apparatus vocabulary, named by its IRI in corresp.';

/** The `teiHeader`: title and people, publication, the chapter's source, and the vocabulary. */
export function teiHeader(context: TeiContext): string {
  return xmlElement('teiHeader', {}, fileDesc(context) + encodingDesc());
}

function fileDesc(context: TeiContext): string {
  const { snapshot, options, iris } = context;
  const people = [...context.people.values()].map(respStmt).join('');
  const titleStmt = xmlElement('titleStmt', {}, xmlElement('title', {}, xmlText(snapshot.room.title)) + xmlElement('title', { type: 'sub' }, 'A critical apparatus made in Apparatus') + people);
  const publicationStmt = xmlElement(
    'publicationStmt',
    {},
    xmlElement('publisher', { ref: GENERATOR.id }, GENERATOR.name) + xmlElement('date', { when: options.exportedAt }, xmlText(options.exportedAt)) + xmlElement('idno', { type: 'URI' }, xmlText(iris.collection)),
  );
  return xmlElement('fileDesc', {}, titleStmt + publicationStmt + xmlElement('sourceDesc', {}, sourceBibl(context)));
}

function respStmt(person: TeiPerson): string {
  const resps = [...person.roles].map((role) => xmlElement('resp', {}, xmlText(role))).join('');
  return xmlElement('respStmt', { 'xml:id': person.xmlId }, resps + xmlElement('persName', { ref: person.iri }, xmlText(person.name)));
}

/** The chapter's source: its title, pages, footnotes, and the plain text it was read as, with its hash. */
function sourceBibl(context: TeiContext): string {
  const { layout, pages, iris, snapshot } = context;
  const titleBlock = layout.blocks.find((block) => block.type === 'heading' && block.n === 1);
  let content = xmlElement('title', { level: 'a' }, xmlText(titleBlock?.text || snapshot.room.title));
  const lastPage = pages.firstPage === null ? null : Math.max(...layout.blocks.map((block) => pages.pageAt(block.end) ?? pages.firstPage!));
  if (pages.firstPage !== null) content += xmlElement('biblScope', { unit: 'page', from: pages.firstPage, to: lastPage }, xmlText(`pp. ${pages.firstPage}–${lastPage}`));
  const notes = layout.blocks.flatMap((block) => (block.type === 'footnote' && block.n !== null ? [block.n] : []));
  if (notes.length > 0) content += xmlElement('biblScope', { unit: 'note', from: Math.min(...notes), to: Math.max(...notes) }, xmlText(`notes ${Math.min(...notes)}–${Math.max(...notes)}`));
  content += xmlElement('ref', { target: iris.text }, 'plain text of the chapter');
  content += xmlElement('idno', { type: 'SHA-256' }, sha256Hex(snapshot.projection.text));
  return xmlElement('bibl', {}, content);
}

function encodingDesc(): string {
  const editorial = xmlElement('editorialDecl', {}, EDITORIAL_DECLARATION.map((p) => xmlElement('p', {}, xmlText(p))).join(''));
  return xmlElement('encodingDesc', {}, editorial + xmlElement('classDecl', {}, taxonomy()));
}

/** The controlled vocabulary as a taxonomy: one category per group, one per term, with its IRI. */
function taxonomy(): string {
  const groups = TAXONOMY_GROUPS.map(({ group, label, terms }) => {
    const categories = terms.map((term) =>
      xmlElement('category', { 'xml:id': categoryId(group, term.term), corresp: term.iri }, xmlElement('catDesc', {}, xmlElement('term', {}, xmlText(term.label)) + xmlText(`: ${term.definition}`))),
    );
    return xmlElement('category', { 'xml:id': group }, xmlElement('catDesc', {}, xmlText(label)) + categories.join(''));
  });
  return xmlElement('taxonomy', { 'xml:id': 'apparatus-vocabulary' }, xmlElement('desc', {}, xmlText(`The Apparatus vocabulary. ${CERT_NOTE}`)) + groups.join(''));
}
