import type { ExportOptions, RoomSnapshot } from '../snapshot.ts';
import { teiContext } from './tei-context.ts';
import { teiHeader } from './tei-header.ts';
import { placeSpans } from './tei-spans.ts';
import { teiStandOff } from './tei-standoff.ts';
import { teiText } from './tei-text.ts';

/** The TEI export's content type (RFC 6129). */
export const TEI_CONTENT_TYPE = 'application/tei+xml; charset=utf-8';

/** The TEI namespace. */
export const TEI_NAMESPACE = 'http://www.tei-c.org/ns/1.0';

/**
 * Exports a room as a TEI P5 document (valid against `tei_all`): the header with the people
 * and the vocabulary as a taxonomy, the stand-off annotations with their discussion, and the
 * chapter's text with page breaks, footnotes and every annotated passage marked. The reading
 * text of the body (see docs/exports-tei-csv-iris.md) equals the room's plain-text projection.
 */
export function exportTei(snapshot: RoomSnapshot, options: ExportOptions): string {
  const context = teiContext(snapshot, options);
  const spans = placeSpans(context);
  // The text is written before the standOff, which names only ids the text has claimed.
  const text = teiText(context, spans);
  const standOff = teiStandOff(context, spans);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<TEI xmlns="${TEI_NAMESPACE}">\n${teiHeader(context)}\n${standOff}${standOff ? '\n' : ''}${text}\n</TEI>\n`;
}
