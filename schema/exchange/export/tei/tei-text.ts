import type { LayoutBlock, LayoutInline } from '../../../chapter/chapter-layout.ts';
import { anaOf, personRef } from './tei-context.ts';
import type { TeiContext } from './tei-context.ts';
import type { PlacedSpan } from './tei-spans.ts';
import { xmlAttrs, xmlElement, xmlText } from './xml-text.ts';

/**
 * The TEI `text`: the chapter's blocks as `div`/`head`/`p` with their block ids, `pb` where the
 * original pages began, footnotes as `note place="foot"` at their first marker, and the
 * annotations' passages as `seg`, `choice` or `anchor` pairs (planned in `tei-spans.ts`).
 * Inside a block nothing is indented: whitespace there would be text.
 */

/** What the content writer emits at one offset of a block, in a fixed order per offset. */
interface BlockEvent {
  at: number;
  /** 0 closing elements, 1 end anchors, 2 atoms, 3 start anchors, 4 opening elements, 5 text. */
  phase: number;
  order: number;
  write: () => string;
}

/** Review status as the `cert` of a correction (see the header's editorial declaration). */
const CERT_OF_STATUS: Record<string, string> = { open: 'medium', resolved: 'high', applied: 'high', rejected: 'low' };

/** Writes the document's `text` element. */
export function teiText(context: TeiContext, spans: Map<string, PlacedSpan>): string {
  const writer = new BlockWriter(context, [...spans.values()]);
  return xmlElement('text', {}, xmlElement('body', {}, writer.body()));
}

class BlockWriter {
  private readonly placedNotes = new Set<number>();
  private readonly byBlock = new Map<number, PlacedSpan[]>();

  constructor(
    private readonly context: TeiContext,
    spans: PlacedSpan[],
  ) {
    for (const span of spans) {
      this.add(span.startBlock, span);
      if (span.endBlock !== span.startBlock) this.add(span.endBlock, span);
    }
  }

  private add(block: number, span: PlacedSpan): void {
    const list = this.byBlock.get(block) ?? [];
    list.push(span);
    this.byBlock.set(block, list);
  }

  /** The body: the initial page, the heading divisions, and footnotes no marker placed. */
  body(): string {
    const { layout, pages } = this.context;
    let out = pages.firstPage === null ? '' : `\n<pb n="${pages.firstPage}"/>`;
    const open: string[] = [];
    const close = (depth: number) => {
      while (open.length > depth) out += `\n</${open.pop()}>`;
    };
    layout.blocks.forEach((block, index) => {
      if (block.type === 'footnote') return;
      if (block.type === 'heading') {
        const level = block.n === 1 ? 0 : Math.min(open.length, 1);
        close(level);
        out += `\n<div${xmlAttrs({ type: block.n === 1 ? 'chapter' : 'section', 'xml:id': this.context.ids.claim(`div-${this.context.blockIds[index]}`, 'div') })}>`;
        open.push('div');
      }
      out += `\n${this.block(index)}`;
    });
    close(0);
    const unplaced = layout.blocks.flatMap((block, index) => (block.type === 'footnote' && !this.placedNotes.has(block.n ?? Number.NaN) ? [this.footnote(index)] : []));
    if (unplaced.length > 0) out += `\n<div type="notes">${unplaced.map((note) => `\n${note}`).join('')}\n</div>`;
    if (out === '') out = '<p/>';
    return `${out}\n`;
  }

  private block(index: number): string {
    const block = this.context.layout.blocks[index]!;
    const name = block.type === 'heading' ? 'head' : 'p';
    return xmlElement(name, { 'xml:id': this.context.blockIds[index] }, this.content(index));
  }

  /** A footnote block as a `note`, marking its number placed. */
  private footnote(index: number): string {
    const block = this.context.layout.blocks[index]!;
    if (block.n !== null) this.placedNotes.add(block.n);
    return xmlElement('note', { place: 'foot', n: block.n, 'xml:id': this.context.blockIds[index] }, this.content(index));
  }

  /** A block's inline content: text, atoms and passages, ordered by offset and phase. */
  private content(index: number): string {
    const block = this.context.layout.blocks[index]!;
    const events: BlockEvent[] = [];
    const cuts = new Set<number>();
    for (const span of this.byBlock.get(index) ?? []) this.spanEvents(span, index, events, cuts);
    block.inlines.forEach((inline, order) => this.inlineEvents(block, inline, order, events, cuts));
    events.sort((a, b) => a.at - b.at || a.phase - b.phase || a.order - b.order);
    return events.map((event) => event.write()).join('');
  }

  private spanEvents(span: PlacedSpan, index: number, events: BlockEvent[], cuts: Set<number>): void {
    const { annotation } = span.entry;
    const order = span.rank;
    if (span.mode === 'anchors') {
      if (span.startBlock === index) {
        events.push({ at: span.start, phase: 3, order, write: () => xmlElement('anchor', { 'xml:id': span.startId, ana: anaOf(annotation) }) });
        cuts.add(span.start);
      }
      if (span.endBlock === index) {
        // An empty passage's end anchor follows its start anchor at the same offset.
        const empty = span.startBlock === index && span.start === span.end;
        events.push({ at: span.end, phase: empty ? 3 : 1, order: empty ? order + 0.5 : order, write: () => xmlElement('anchor', { 'xml:id': span.endId }) });
        cuts.add(span.end);
      }
      return;
    }
    const [open, close] = span.mode === 'seg' ? [`<seg${xmlAttrs({ 'xml:id': span.startId, ana: anaOf(annotation) })}>`, '</seg>'] : this.choiceTags(span);
    events.push({ at: span.start, phase: 4, order, write: () => open }, { at: span.end, phase: 0, order: -order, write: () => close });
    cuts.add(span.start).add(span.end);
  }

  /**
   * The opening and closing tags of a correction: the text as it stands goes in `sic` while the
   * correction is only proposed, in `corr` once it was applied (the original then in `sic`).
   */
  private choiceTags(span: PlacedSpan): [string, string] {
    const { annotation } = span.entry;
    const choice = `<choice${xmlAttrs({ 'xml:id': span.startId, ana: anaOf(annotation) })}>`;
    if (annotation.status === 'applied' && annotation.applied) {
      const resp = personRef(this.context, annotation.applied.by);
      return [`${choice}${xmlElement('sic', {}, xmlText(annotation.applied.original))}<corr${xmlAttrs({ type: 'applied', resp, cert: 'high' })}>`, '</corr></choice>'];
    }
    const corr = xmlElement('corr', { type: 'proposed', resp: personRef(this.context, annotation.authorId), cert: CERT_OF_STATUS[annotation.status] ?? 'unknown' }, xmlText(annotation.correction ?? ''));
    return [`${choice}<sic>`, `</sic>${corr}</choice>`];
  }

  private inlineEvents(block: LayoutBlock, inline: LayoutInline, order: number, events: BlockEvent[], cuts: Set<number>): void {
    if (inline.kind === 'page-break') {
      events.push({ at: inline.at, phase: 2, order, write: () => xmlElement('pb', { n: inline.page }) });
    } else if (inline.kind === 'footnote-ref') {
      events.push({ at: inline.at, phase: 2, order, write: () => this.marker(block, inline.n) });
    } else {
      // Text is cut wherever a passage starts or ends, so every element closes where it should.
      const points = [...cuts].filter((at) => at > inline.start && at < inline.end).sort((a, b) => a - b);
      const bounds = [inline.start, ...points, inline.end];
      for (let i = 0; i + 1 < bounds.length; i++) {
        const piece = block.text.slice(bounds[i], bounds[i + 1]);
        const write = () => (inline.italic ? xmlElement('hi', { rend: 'italic' }, xmlText(piece)) : xmlText(piece));
        events.push({ at: bounds[i]!, phase: 5, order, write });
      }
    }
  }

  /** A footnote marker: the note itself at the first marker in the body, a pointer elsewhere. */
  private marker(block: LayoutBlock, n: number): string {
    const index = this.context.layout.blocks.findIndex((b) => b.type === 'footnote' && b.n === n);
    if (index < 0) return xmlElement('anchor', { type: 'noteref', n });
    if (block.type !== 'footnote' && !this.placedNotes.has(n)) return this.footnote(index);
    return xmlElement('ptr', { type: 'noteref', target: `#${this.context.blockIds[index]}`, n });
  }
}
