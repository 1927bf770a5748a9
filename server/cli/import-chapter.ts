// `npm run --silent import -- [--first-page N] <file>`: imports a plain-text chapter and
// prints its ProseMirror JSON on stdout and the importer's report on stderr.
// Exit codes: 0 imported (findings or not), 1 unreadable or not a chapter, 2 bad usage.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { formatFinding, importChapter } from '../../schema/index.ts';
import type { ImportReport } from '../../schema/index.ts';

const USAGE = 'usage: npm run --silent import -- [--first-page N] <chapter.txt>';

/** The command line, parsed. */
interface CliArguments {
  file: string;
  firstPage: number;
}

/** Parses the arguments, or returns the message explaining what is wrong with them. */
function parseArguments(argv: readonly string[]): CliArguments | string {
  const files: string[] = [];
  let firstPage = 1;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--first-page') {
      const value = Number(argv[++i]);
      if (!Number.isSafeInteger(value) || value < 0) return `--first-page needs a non-negative integer, got ${argv[i] ?? 'nothing'}`;
      firstPage = value;
    } else if (arg.startsWith('-') && arg !== '-') {
      return `unknown option ${arg}`;
    } else {
      files.push(arg);
    }
  }
  if (files.length !== 1) return files.length === 0 ? 'no chapter file given' : `one chapter file at a time, got ${files.length}`;
  return { file: files[0]!, firstPage };
}

/** Reads the file as UTF-8 text, or returns why it cannot be read. */
function readChapterFile(file: string): { ok: true; text: string } | { ok: false; error: string } {
  let bytes: Buffer;
  try {
    bytes = file === '-' ? readFileSync(0) : readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (error as Error).message;
    return { ok: false, error: `cannot read ${file}: ${reason}` };
  }
  // UTF-16 would otherwise be refused for its NUL bytes, which says less than this.
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return { ok: false, error: `${file} is UTF-16 text; save it as UTF-8` };
  }
  // Not fatal: invalid bytes become U+FFFD, which the importer refuses with a line number.
  return { ok: true, text: new TextDecoder('utf-8').decode(bytes) };
}

/** Formats the report for a terminal: a summary line, then one line per finding. */
function formatReport(file: string, title: string, report: ImportReport): string {
  const { headings, paragraphs, footnotes, pages, lines } = report.stats;
  const summary = `${path.basename(file)}: "${title}": ${headings} headings (title included), ${paragraphs} paragraphs, `
    + `${footnotes} footnotes, ${pages} pages, ${lines} lines`;
  const count = report.findings.length;
  const heading = count === 0 ? 'no findings' : `${count} finding${count === 1 ? '' : 's'}:`;
  return [summary, heading, ...report.findings.map((f) => `  ${formatFinding(f)}`)].join('\n');
}

/** Runs the command and returns its exit code. */
function main(argv: readonly string[]): number {
  const args = parseArguments(argv);
  if (typeof args === 'string') {
    process.stderr.write(`import-chapter: ${args}\n${USAGE}\n`);
    return 2;
  }
  const input = readChapterFile(args.file);
  if (!input.ok) {
    process.stderr.write(`import-chapter: ${input.error}\n`);
    return 1;
  }
  const result = importChapter(input.text, { firstPage: args.firstPage });
  if (!result.ok) {
    process.stderr.write(`import-chapter: ${args.file}: ${result.error}\n`);
    return 1;
  }
  process.stdout.write(`${JSON.stringify(result.doc, null, 2)}\n`);
  process.stderr.write(`${formatReport(args.file, result.title, result.report)}\n`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
