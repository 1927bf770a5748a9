import { quoteIn } from './chapter-reading.ts';
import type { ChapterReading, ReadingBlock } from './chapter-reading.ts';
import type { Finding } from './finding.ts';
import { quoteMarkFindings } from './quote-mark-style.ts';
import { typographyFinding } from './typography-finding.ts';

/**
 * Typography: quotation-mark and apostrophe styles (see `quote-mark-style.ts`) and local
 * slips, each reported at its place:
 * - `double-space`: two or more spaces between words;
 * - `space-before-punctuation`: a space before , ; : . ! ? or a closing bracket;
 * - `doubled-punctuation`: `,,` `;;` `::` or `..` that is not an ellipsis;
 * - `missing-space`: an initial glued to a name (`A.Khlevniuk`), or a comma or full stop
 *   glued to the next word (`war,and`, `end.Next`);
 * - `comma-before-marker`: a comma, a footnote marker, then a new sentence — the comma
 *   should have been a full stop.
 */

interface LocalRule {
  rule: string;
  pattern: RegExp;
  message: (exact: string) => string;
  note: string;
  correction?: (exact: string) => string;
}

const LOCAL_RULES: readonly LocalRule[] = [
  {
    rule: 'double-space',
    pattern: /\S+ {2,}\S+/g,
    message: (exact) => `Two or more spaces between words in “${exact}”.`,
    note: 'Stray spacing: use a single space.',
    correction: (exact) => exact.replace(/ {2,}/g, ' '),
  },
  {
    rule: 'space-before-punctuation',
    pattern: /\S+ +[,;:!?)\]](?!\.\.)|\p{L}+ +\.(?!\.|\d)/gu,
    message: (exact) => `A space before punctuation in “${exact}”.`,
    note: 'Stray spacing: no space before the punctuation mark.',
    correction: (exact) => exact.replace(/ +(?=[,;:.!?)\]])/g, ''),
  },
  {
    rule: 'doubled-punctuation',
    pattern: /\S*?(?:,,|;;|::|(?<!\.)\.\.(?!\.))\s?\S*/g,
    message: (exact) => `Doubled punctuation in “${exact}”.`,
    note: 'Doubled punctuation mark.',
    correction: (exact) => exact.replace(/([,;:.])\1/g, '$1'),
  },
  {
    rule: 'missing-space',
    pattern: /(?<![\p{L}.])\p{Lu}\.\p{Lu}\p{Ll}{2,}|\p{Ll}{3,}[,;.](?=\p{Lu}\p{Ll}{2,})\p{L}+|\p{Ll}{3,}[,;](?=\p{Ll}{3,})\p{L}+/gu,
    message: (exact) => `A missing space after the punctuation in “${exact}”.`,
    note: 'Missing space after a full stop or comma.',
    correction: (exact) => exact.replace(/([,;.])(?=\p{L})/u, '$1 '),
  },
];

function localFindings(reading: ChapterReading, block: ReadingBlock): Finding[] {
  return LOCAL_RULES.flatMap((rule) =>
    [...block.text.matchAll(rule.pattern)].map((match) => {
      const quote = quoteIn(block, match.index, match.index + match[0].length);
      const correction = rule.correction?.(quote.exact);
      return typographyFinding(reading, { rule: rule.rule, quote, message: rule.message(quote.exact), note: rule.note, ...(correction !== undefined ? { correction } : {}) });
    }),
  );
}

const SENTENCE_OPENER = /^\s+(?:In|The|This|These|That|Those|It|He|She|They|We|But|And|However|Thus|As|On|At|By|For|From|With|When|While|After|Before|Although|A|An|There|Here|His|Her|Its|Their|Such|Yet|So)\b/;

/** A comma right before a footnote marker that is followed by a new sentence. */
function commaBeforeMarker(reading: ChapterReading, block: ReadingBlock): Finding[] {
  return block.markers
    .filter((m) => block.text[m.offset - 1] === ',' && SENTENCE_OPENER.test(block.text.slice(m.offset)))
    .map((m) => {
      const phraseStart = /(?:\S+\s+){0,2}\S+,$/.exec(block.text.slice(Math.max(0, m.offset - 60), m.offset));
      const start = m.offset - (phraseStart?.[0].length ?? 1);
      const quote = quoteIn(block, start, m.offset);
      return typographyFinding(reading, {
        rule: 'comma-before-marker',
        quote,
        message: `The sentence ending “${quote.exact}” (note ${m.n}) ends with a comma, but a new sentence follows.`,
        note: 'A comma ends the sentence: it should be a full stop.',
        correction: `${quote.exact.slice(0, -1)}.`,
      });
    });
}

/** Finds typographic slips and mixed quotation-mark styles across the chapter. */
export function detectTypography(reading: ChapterReading): Finding[] {
  const local = reading.blocks.flatMap((block) => [...localFindings(reading, block), ...commaBeforeMarker(reading, block)]);
  return [...local, ...quoteMarkFindings(reading)];
}
