// `npm run --silent analyze -- [--type T]... <file>`: imports a plain-text chapter, runs the
// source-criticism assistants and prints `{"findings": [...]}` on stdout. `-` reads stdin.
// Exit codes: 0 analysed (findings or not), 1 unreadable or not a chapter, 2 bad usage.
import { FINDING_TYPES, analyzeChapter, chapterFromJSON, importChapter } from '../../schema/index.ts';
import type { FindingType } from '../../schema/index.ts';
import { parseCommandLine, readCommandInput, singleFile } from './cli-arguments.ts';

const USAGE = `usage: npm run --silent analyze -- [--type ${FINDING_TYPES.join('|')}]... <chapter.txt>`;

/** The command line, parsed. */
interface CliArguments {
  file: string;
  types: FindingType[];
}

function isFindingType(value: string): value is FindingType {
  return (FINDING_TYPES as readonly string[]).includes(value);
}

/** Parses the arguments, or returns the message explaining what is wrong with them. */
function parseArguments(argv: string[]): CliArguments | string {
  const parsed = parseCommandLine({ args: argv, options: { type: { type: 'string', multiple: true } }, allowPositionals: true });
  if (typeof parsed === 'string') return parsed;
  const types = parsed.values.type ?? [];
  const unknown = types.find((value) => !isFindingType(value));
  if (unknown !== undefined) return `--type needs one of ${FINDING_TYPES.join(', ')}, got ${unknown || 'nothing'}`;
  const file = singleFile(parsed.positionals, 'chapter file');
  if (typeof file === 'string') return file;
  return { file: file.file, types: types.length > 0 ? types.filter(isFindingType) : [...FINDING_TYPES] };
}

/** Runs the command and returns its exit code. */
function main(argv: string[]): number {
  const input = readCommandInput('analyze-chapter', USAGE, parseArguments(argv));
  if (typeof input === 'number') return input;
  const { args } = input;
  const imported = importChapter(input.text);
  if (!imported.ok) {
    process.stderr.write(`analyze-chapter: ${args.file}: ${imported.error}\n`);
    return 1;
  }
  const { findings } = analyzeChapter(chapterFromJSON(imported.doc), { types: args.types });
  process.stdout.write(`${JSON.stringify({ findings }, null, 2)}\n`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
