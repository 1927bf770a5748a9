/**
 * Russian romanisation: a comparison key under which the spellings that the common systems
 * (and their careless mixtures) give one Cyrillic word coincide, and a test for words that
 * look romanised rather than English.
 *
 * The key folds what the systems disagree on — х as kh/ch/h, ж as zh/ž, ц as ts/c/tz, я/ю/е
 * as ya/ia/ja, yu/iu/ju, ye/je/ie, й and the -yj/-ij/-iy/-ii/-y endings (folded to `#`), ь and ъ as apostrophes,
 * doubled letters, diacritics — and keeps what they agree on, so that a case ending still
 * tells `Stalina` from `Stalin`.
 */

// Letters with háček and similar marks that carry a digraph in the other systems; other
// diacritics are simply dropped.
const DIGRAPH_LETTERS: Record<string, string> = { ž: 'zh', š: 'sh', č: 'ch', ř: 'r', ё: 'e' };

const FOLDS: readonly [RegExp, string][] = [
  [/shch|sch/g, 's'],
  [/tch|tz|ts/g, 'c'],
  [/kh|ch/g, 'h'],
  [/zh/g, 'z'],
  [/sh/g, 's'],
  [/w/g, 'v'],
  // й, the glide of я/ю/е and the y of ы are spelt j, y or i: drop j and y, then an i before a vowel.
  [/[jy]/g, ''],
  [/i(?=[aeou])/g, ''],
  [/(.)\1+/g, '$1'],
];

/** Returns the romanisation key of a word: lower-cased, diacritics and system differences folded. */
export function romanisationKey(word: string): string {
  let key = word.toLowerCase().replace(/[žščřё]/g, (ch) => DIGRAPH_LETTERS[ch] ?? ch);
  key = key.normalize('NFD').replace(/\p{M}/gu, '');
  key = key.replace(/['’ʹʼ`]/g, '');
  // The -ий/-ый/-ой endings: -sky, -skij, -skii, -skiy and -ny, -nyj, -nyi are one ending.
  key = key.replace(/(?<=\p{L}{3})(?:yj|yi|ij|iy|ii|y|j)$/u, '#');
  for (const [pattern, replacement] of FOLDS) key = key.replace(pattern, replacement);
  return key;
}

// Letter groups that English spelling almost never produces and romanised Russian often does.
const ROMANISED_PATTERNS: readonly RegExp[] = [
  /kh|zh|shch/,
  /[bcdfgklmnprstvz]j[aeiou]/,
  /[bcdfgklmnprstvz]y[aeou]/,
  /sk(?:ij|iy|ii|oj|oy|aja|aya|oye|oje|ogo|ikh|ich)$/,
  /(?:iy|ij|yj|yy|iya|ija|iye|ije|iyu|yye)$/,
  /.{3}(?:ogo|ovo)$/,
];

/** Returns true when `word` shows a letter group typical of romanised Russian. */
export function looksRomanised(word: string): boolean {
  const lower = word.toLowerCase();
  if (/[žščř]/.test(lower)) return true;
  // Mixed-case acronyms such as VTsIK or VSNKh spell a Cyrillic letter with two Latin ones.
  if (/^\p{Lu}+(?:Ts|Kh|Ch|Sh|Zh)\p{Lu}*$/u.test(word)) return true;
  return ROMANISED_PATTERNS.some((pattern) => pattern.test(lower));
}
