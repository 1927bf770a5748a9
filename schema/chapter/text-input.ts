import { importFinding } from './import-report.ts';
import type { ImportFinding } from './import-report.ts';

/**
 * The edge of the importer: decides whether a string is a plain-text chapter at all and
 * normalises what text editors and operating systems vary (byte-order mark, CRLF or CR
 * line ends, stray control characters). Everything after this sees `\n` line ends only.
 */

/** A normalised chapter text, or the one-line reason it is not one. */
export type ChapterTextCheck =
  | { ok: true; text: string; findings: ImportFinding[] }
  | { ok: false; error: string };

// Above this share of control characters among visible ones the input is binary, not a
// text with a few stray bytes.
const MAX_CONTROL_SHARE = 0.1;

// C0 controls except tab, line feed, vertical tab, form feed and carriage return; DEL; C1.
const STRAY_CONTROL = /[\u0001-\u0008\u000e-\u001f\u007f-\u009f]/g;

/** Returns the 1-based line of a string index. */
function lineAt(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** Strips a byte-order mark and turns CRLF and lone CR line ends into LF. */
function normaliseLineEnds(raw: string): string {
  const withoutBom = raw.startsWith('\ufeff') ? raw.slice(1) : raw;
  return withoutBom.replace(/\r\n?/g, '\n');
}

/** Finds the first reason the text is not a text at all, or null. */
function binaryReason(text: string): string | null {
  const nul = text.indexOf('\u0000');
  if (nul !== -1) return `This is not a text file: it contains NUL bytes (first at line ${lineAt(text, nul)}).`;
  const replacement = text.indexOf('\ufffd');
  if (replacement !== -1) {
    return `This is not valid UTF-8 text: undecodable bytes at line ${lineAt(text, replacement)}; save the chapter as UTF-8.`;
  }
  const controls = text.match(STRAY_CONTROL)?.length ?? 0;
  const visible = text.replace(/\s/g, '').length;
  if (controls > 0 && controls > visible * MAX_CONTROL_SHARE) {
    return `This does not look like text: ${controls} of ${visible} characters are control characters.`;
  }
  return null;
}

/**
 * Checks and normalises raw chapter text. Refuses empty, whitespace-only and binary input
 * (NUL bytes, U+FFFD replacement characters from invalid UTF-8, mostly control characters)
 * with a one-line message; removes a few stray control characters and reports them.
 */
export function normaliseChapterText(raw: string): ChapterTextCheck {
  const text = normaliseLineEnds(raw);
  if (text.trim() === '') return { ok: false, error: 'The chapter text is empty.' };
  const reason = binaryReason(text);
  if (reason !== null) return { ok: false, error: reason };
  const firstControl = text.search(STRAY_CONTROL);
  if (firstControl === -1) return { ok: true, text, findings: [] };
  const count = text.match(STRAY_CONTROL)?.length ?? 0;
  const finding = importFinding(
    'control-characters',
    lineAt(text, firstControl),
    `removed ${count} invisible control character${count === 1 ? '' : 's'} (the first one on this line)`,
  );
  return { ok: true, text: text.replace(STRAY_CONTROL, ''), findings: [finding] };
}
