/**
 * Text that XML can carry. XML 1.0 forbids most C0 control characters, unpaired surrogates and
 * U+FFFE/U+FFFF even when escaped, and a file holding one is refused whole by Word, LibreOffice
 * and every XML parser. So a note pasted with a stray control character would make a whole
 * export unreadable; instead the character is shown.
 */

// Allowed: tab, LF, CR, U+0020–U+D7FF, U+E000–U+FFFD and whole surrogate pairs.
const NOT_XML_CHAR = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Returns `text` with every character XML cannot carry replaced by a visible stand-in: a C0
 * control character or DEL by its Unicode Control Picture (U+0001 → ␁, U+007F → ␡), an unpaired
 * surrogate or a noncharacter by U+FFFD. Everything else, markup characters included, is left
 * for the XML writer to escape.
 */
export function xmlSafeText(text: string): string {
  return text.replace(NOT_XML_CHAR, (c) => {
    const code = c.charCodeAt(0);
    if (code < 0x20) return String.fromCharCode(0x2400 + code);
    return code === 0x7f ? '\u2421' : '\ufffd';
  });
}
