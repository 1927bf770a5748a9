/**
 * Proactive content negotiation (RFC 9110 §12.5.1) over the Accept header: which of the media
 * types a resource offers the client prefers. Enough for the IRIs that answer JSON-LD to
 * programs and HTML to browsers.
 */

interface MediaRange {
  type: string;
  subtype: string;
  q: number;
}

function parseAccept(header: string): MediaRange[] {
  const ranges: MediaRange[] = [];
  for (const part of header.split(',')) {
    const [range, ...parameters] = part.trim().split(';');
    const match = /^([\w.+*-]+)\/([\w.+*-]+)$/.exec((range ?? '').trim().toLowerCase());
    if (!match) continue;
    let q = 1;
    for (const parameter of parameters) {
      const qMatch = /^\s*q\s*=\s*([01](\.\d{0,3})?)\s*$/i.exec(parameter);
      if (qMatch) q = Number(qMatch[1]);
    }
    ranges.push({ type: match[1]!, subtype: match[2]!, q });
  }
  return ranges;
}

/** The q the most specific range matching `offer` gives it (0 when none matches). */
function qualityOf(offer: string, ranges: readonly MediaRange[]): number {
  const [type, subtype] = offer.split('/');
  let best: { specificity: number; q: number } | null = null;
  for (const range of ranges) {
    const specificity = range.type === type && range.subtype === subtype ? 2 : range.type === type && range.subtype === '*' ? 1 : range.type === '*' && range.subtype === '*' ? 0 : -1;
    if (specificity < 0 || (best && best.specificity >= specificity)) continue;
    best = { specificity, q: range.q };
  }
  return best?.q ?? 0;
}

/**
 * Returns the offered media type (`type/subtype`, no parameters) the Accept header prefers:
 * the highest q, ties going to the earlier offer; the first offer without an Accept header;
 * null when the client accepts none of them (406).
 */
export function negotiate(accept: string | undefined, offers: readonly string[]): string | null {
  if (accept === undefined || accept.trim() === '') return offers[0] ?? null;
  const ranges = parseAccept(accept);
  let chosen: string | null = null;
  let chosenQ = 0;
  for (const offer of offers) {
    const q = qualityOf(offer, ranges);
    if (q > chosenQ) [chosen, chosenQ] = [offer, q];
  }
  return chosen;
}
