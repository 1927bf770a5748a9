import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importChapter } from '../../schema/index.ts';

// The import CLI as a user runs it: `npm run --silent import -- <file>` is this command.
const root = path.resolve(import.meta.dirname, '../..');
const fixturePath = path.join(root, 'fixtures/chapter-5.txt');
const scratch = mkdtempSync(path.join(tmpdir(), 'apparatus-import-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Runs the CLI with arguments and returns its exit code and both streams. */
function runCli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['scripts/run-built.mjs', 'import-chapter', ...args], { cwd: root, maxBuffer: 16 << 20 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }));
  });
}

/** Writes a scratch file and returns its path. */
function scratchFile(name: string, content: string | Uint8Array): string {
  const file = path.join(scratch, name);
  writeFileSync(file, content);
  return file;
}

describe('the import CLI', () => {
  it('prints the fixture as ProseMirror JSON on stdout and the report on stderr', async () => {
    const { code, stdout, stderr } = await runCli(fixturePath);
    expect(code).toBe(0);
    const expected = importChapter(readFileSync(fixturePath, 'utf8'));
    expect(expected.ok && JSON.parse(stdout)).toEqual(expected.ok && expected.doc);
    expect(stderr).toContain('5 headings (title included), 36 paragraphs, 36 footnotes, 16 pages, 183 lines');
    expect(stderr).toContain('no findings');
  });

  it('lists findings with their line numbers on stderr', async () => {
    const file = scratchFile('findings.txt', '1. Title\n\nA claim.¹ Another.²\n\n1 A note.\n');
    const { code, stderr } = await runCli(file);
    expect(code).toBe(0);
    expect(stderr).toContain('line 3: marker-without-footnote: marker 2 has no footnote 2');
  });

  it('numbers pages from --first-page', async () => {
    const { stdout } = await runCli('--first-page', '151', fixturePath);
    expect(stdout).toContain('"page": 152');
    expect(stdout).not.toContain('"page": 2\n');
  });

  it('exits 1 with a clear message for a missing file, an empty file and a binary file', async () => {
    const missing = await runCli(path.join(scratch, 'nope.txt'));
    expect([missing.code, missing.stderr]).toEqual([1, expect.stringMatching(/cannot read .*nope\.txt: no such file/u)]);
    const empty = await runCli(scratchFile('empty.txt', '\n\n'));
    expect([empty.code, empty.stderr.trim()]).toEqual([1, expect.stringMatching(/empty\.txt: The chapter text is empty\.$/u)]);
    const binary = await runCli(scratchFile('binary.bin', new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 0, 0, 0xff, 0xfe])));
    expect([binary.code, binary.stdout]).toEqual([1, '']);
    expect(binary.stderr).toMatch(/not a text file/u);
  });

  it('exits 2 with the usage when no file is given', async () => {
    const { code, stderr } = await runCli();
    expect(code).toBe(2);
    expect(stderr).toContain('usage: npm run --silent import -- [--first-page N] <chapter.txt>');
  });
});
