// `npm run --silent import -- [--first-page N] <file>`: imports a plain-text chapter and
// prints its ProseMirror JSON on stdout and the importer's report on stderr.
// Exit codes: 0 imported (findings or not), 1 unreadable or not a chapter, 2 bad usage.
import path from 'node:path';
import { formatFinding, importChapter } from '../../schema/index.ts';
import type { ImportReport } from '../../schema/index.ts';
import { parseCommandLine, readCommandInput, singleFile } from './cli-arguments.ts';

const USAGE = 'usage: npm run --silent import -- [--first-page N] <chapter.txt>';

/** The command line, parsed. */
interface CliArguments {
  file: string;
  firstPage: number;
}

/** Parses the arguments, or returns the message explaining what is wrong with them. */
function parseArguments(argv: string[]): CliArguments | string {
  const parsed = parseCommandLine({ args: argv, options: { 'first-page': { type: 'string' } }, allowPositionals: true });
  if (typeof parsed === 'string') return parsed;
  const raw = parsed.values['first-page'];
  const firstPage = raw === undefined ? 1 : Number(raw);
  if (!Number.isSafeInteger(firstPage) || firstPage < 0 || raw?.trim() === '') return `--first-page needs a non-negative integer, got ${raw}`;
  const file = singleFile(parsed.positionals, 'chapter file');
  return typeof file === 'string' ? file : { file: file.file, firstPage };
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
function main(argv: string[]): number {
  const input = readCommandInput('import-chapter', USAGE, parseArguments(argv));
  if (typeof input === 'number') return input;
  const { args } = input;
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
