import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';

/**
 * Parses a command line with `node:util` parseArgs (strict by default: unknown options and
 * missing values are errors), returning parseArgs' message instead of throwing, for a usage line.
 */
export function parseCommandLine<T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> | string {
  try {
    return parseArgs(config);
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** The single file a command takes, or the message saying how many it got instead. */
export function singleFile(positionals: readonly string[], what: string): string | { file: string } {
  if (positionals.length === 1) return { file: positionals[0]! };
  return positionals.length === 0 ? `no ${what} given` : `one ${what} at a time, got ${positionals.length}`;
}

/**
 * Reads a chapter file (or stdin for `-`) as UTF-8 text, or returns why it cannot be read.
 * Invalid bytes become U+FFFD, which the importer then refuses with a line number.
 */
export function readChapterFile(file: string): { ok: true; text: string } | { ok: false; error: string } {
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
  return { ok: true, text: new TextDecoder('utf-8').decode(bytes) };
}

/**
 * The first steps of a command that reads one chapter file: reports bad arguments (with the
 * usage, exit code 2) or an unreadable file (exit code 1) on stderr, prefixed with the
 * command's name, and returns that exit code; otherwise returns the arguments and the text.
 */
export function readCommandInput<A extends { file: string }>(command: string, usage: string, args: A | string): { args: A; text: string } | number {
  if (typeof args === 'string') {
    process.stderr.write(`${command}: ${args}\n${usage}\n`);
    return 2;
  }
  const input = readChapterFile(args.file);
  if (!input.ok) {
    process.stderr.write(`${command}: ${input.error}\n`);
    return 1;
  }
  return { args, text: input.text };
}
