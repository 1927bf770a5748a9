/**
 * Splits normalised chapter text into blocks: runs of non-blank lines separated by blank
 * lines, each remembering the input line numbers it came from so that every later finding
 * can point at a line.
 */

/** One input line of a block, trimmed, with its 1-based line number. */
export interface SourceLine {
  text: string;
  line: number;
}

/** A block of the input: consecutive non-blank lines, read as one run of text. */
export interface SourceBlock {
  /** The 1-based line number of the block's first line. */
  line: number;
  /** The block's lines, trimmed; a hard-wrapped paragraph has several. */
  lines: SourceLine[];
  /** The lines joined by single spaces: what the block says. */
  text: string;
}

/** Builds a block from its lines. */
function toBlock(lines: SourceLine[]): SourceBlock {
  return { line: lines[0]!.line, lines, text: lines.map((l) => l.text).join(' ') };
}

/**
 * Splits `\n`-separated text into blocks. Leading indentation and trailing spaces of each
 * line are dropped (a typeset first-line indent is not text); whitespace-only lines count
 * as blank.
 */
export function splitBlocks(text: string): SourceBlock[] {
  const blocks: SourceBlock[] = [];
  let current: SourceLine[] = [];
  text.split('\n').forEach((raw, index) => {
    const trimmed = raw.trim();
    if (trimmed === '') {
      if (current.length > 0) blocks.push(toBlock(current));
      current = [];
      return;
    }
    current.push({ text: trimmed, line: index + 1 });
  });
  if (current.length > 0) blocks.push(toBlock(current));
  return blocks;
}

/** Counts the lines of `\n`-separated text; a final line end does not start another line. */
export function countLines(text: string): number {
  if (text === '') return 0;
  const breaks = text.split('\n').length - 1;
  return text.endsWith('\n') ? breaks : breaks + 1;
}
