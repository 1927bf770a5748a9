// `npm run --silent analyze -- [--type T]... <file>`: imports a plain-text chapter, runs the
// source-criticism assistants and prints `{"findings": [...]}` on stdout. `-` reads stdin.
// Exit codes: 0 analysed (findings or not), 1 unreadable or not a chapter, 2 bad usage.
import { readFileSync } from 'node:fs';
import { FINDING_TYPES, analyzeChapter, chapterFromJSON, importChapter } from '../../schema/index.ts';
import type { FindingType } from '../../schema/index.ts';

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
function parseArguments(argv: readonly string[]): CliArguments | string {
  const files: string[] = [];
  const types: FindingType[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--type') {
      const value = argv[++i] ?? '';
      if (!isFindingType(value)) return `--type needs one of ${FINDING_TYPES.join(', ')}, got ${value || 'nothing'}`;
      types.push(value);
    } else if (arg.startsWith('-') && arg !== '-') {
      return `unknown option ${arg}`;
    } else {
      files.push(arg);
    }
  }
  if (files.length !== 1) return files.length === 0 ? 'no chapter file given' : `one chapter file at a time, got ${files.length}`;
  return { file: files[0] ?? '', types: types.length > 0 ? types : [...FINDING_TYPES] };
}

/** Reads the file (or stdin for `-`) as UTF-8, or returns why it cannot be read. */
function readChapterFile(file: string): { ok: true; text: string } | { ok: false; error: string } {
  try {
    const bytes = file === '-' ? readFileSync(0) : readFileSync(file);
    if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
      return { ok: false, error: `${file} is UTF-16 text; save it as UTF-8` };
    }
    return { ok: true, text: new TextDecoder('utf-8').decode(bytes) };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (error as Error).message;
    return { ok: false, error: `cannot read ${file}: ${reason}` };
  }
}

/** Runs the command and returns its exit code. */
function main(argv: readonly string[]): number {
  const args = parseArguments(argv);
  if (typeof args === 'string') {
    process.stderr.write(`analyze-chapter: ${args}\n${USAGE}\n`);
    return 2;
  }
  const input = readChapterFile(args.file);
  if (!input.ok) {
    process.stderr.write(`analyze-chapter: ${input.error}\n`);
    return 1;
  }
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
