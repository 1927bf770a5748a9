/**
 * Writing XML 1.0 text safely: every string an annotator typed (a hostile note, a name with
 * `<script>`, a control character) becomes character data that cannot end an element, open
 * one or break well-formedness.
 */

// Characters XML 1.0 cannot carry at all (C0 controls but tab/LF/CR, lone surrogates,
// U+FFFE/U+FFFF): replaced by U+FFFD, the replacement character, so the loss is visible.
const NOT_XML_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
// Cheap first look (no lookaround): most strings hold none of these, nor any surrogate.
const MAYBE_NOT_XML_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/;
const TEXT_SPECIALS = /[&<>\r]/;
const ATTRIBUTE_SPECIALS = /[&<>"\t\n\r]/;

/** Returns `text` with the characters XML 1.0 cannot carry replaced by U+FFFD. */
export function xmlChars(text: string): string {
  return MAYBE_NOT_XML_CHAR.test(text) ? text.replace(NOT_XML_CHAR, '\uFFFD') : text;
}

/**
 * Escapes character data: `&`, `<` and `>` (so `]]>` cannot appear), and CR as `&#13;`, which a
 * parser would otherwise turn into LF.
 */
export function xmlText(text: string): string {
  const safe = xmlChars(text);
  if (!TEXT_SPECIALS.test(safe)) return safe;
  return safe.replace(/[&<>\r]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&#13;'));
}

/**
 * Escapes an attribute value for double quotes; tab, LF and CR as character references, which
 * attribute-value normalisation would otherwise turn into spaces.
 */
export function xmlAttr(value: string): string {
  const safe = xmlChars(value);
  if (!ATTRIBUTE_SPECIALS.test(safe)) return safe;
  return safe.replace(/[&<>"\t\n\r]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Renders attributes (`name="value"` pairs, in the order given), skipping null and undefined values. */
export function xmlAttrs(attributes: Record<string, string | number | null | undefined>): string {
  let out = '';
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined) continue;
    out += ` ${name}="${xmlAttr(String(value))}"`;
  }
  return out;
}

/** An element with attributes and already-escaped content; empty content gives an empty-element tag. */
export function xmlElement(name: string, attributes: Record<string, string | number | null | undefined>, content = ''): string {
  const attrs = xmlAttrs(attributes);
  return content === '' ? `<${name}${attrs}/>` : `<${name}${attrs}>${content}</${name}>`;
}
