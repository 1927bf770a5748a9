import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');
const work = mkdtempSync(path.join(tmpdir(), 'apparatus-analyze-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function analyze(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['scripts/run-built.mjs', 'analyze-chapter', ...args], { cwd: root });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

// Another chapter in the book's plain-text format (title, heading, superscript markers,
// footnotes after each page's body), with one planted problem of each type.
const OTHER_CHAPTER = `7. The Second Plan and Its Critics

Planning after the Famine

The second five-year plan was adopted at the congress of 1934 with lower targets than the first.¹ Nikolai Bukharin, by then an editor rather than a leader, praised its moderation in print.² Heavy industry still received the largest share of investment, but light industry was promised more than before. Output of consumer goods would double within five years, the planners announced. The promise was repeated in every speech of that year.

Critics abroad were less certain. Émigré economists doubted that the targets could be met without another squeeze on the villages.³ Their doubts were shared, privately, by some planners in Moscow.

1 Zaleski E., *Stalinist Planning for Economic Growth*, pp. 120–125.

2 Bucharin N., *Izbrannye proizvedeniya*, p. 301; Cohen S., *Bukharin and the Bolshevik Revolution*, p. 352.

3 Ibid., p. 360.

The planners answered their critics with statistics. In 1935 the plan for coal was met ahead of time, and the press celebrated the miners who had exceeded their norms. The press celebrated the miners whose output had exceeded their norms, while the plan for coal was fulfilled ahead of schedule in 1935.⁴ Yet  the shortages of bread and cloth did not end.

4 *Pravda*, 1 September 1935.
`;

describe('analyze CLI', () => {
  it('prints {"findings": [...]} for the fixture chapter', async () => {
    const { code, stdout } = await analyze('fixtures/chapter-5.txt');
    expect(code).toBe(0);
    const { findings } = JSON.parse(stdout) as { findings: { type: string; quotes: unknown[] }[] };
    expect(new Set(findings.map((f) => f.type))).toEqual(new Set(['duplication', 'transliteration', 'ibid', 'unsourced', 'typography']));
  });

  it('finds exactly the planted problems in another chapter of the same format', async () => {
    const file = path.join(work, 'chapter-7.txt');
    writeFileSync(file, OTHER_CHAPTER);
    const { code, stdout } = await analyze(file);
    expect(code).toBe(0);
    const { findings } = JSON.parse(stdout) as { findings: { type: string; rule: string }[] };
    expect(findings.map((f) => `${f.type}/${f.rule}`)).toEqual([
      'duplication/paraphrase',
      'transliteration/variant-spelling',
      'ibid/ambiguous-ibid',
      'unsourced/unsourced-figure',
      'typography/double-space',
    ]);
  });

  it('exits 1 with a message for a missing file or a text that is not a chapter', async () => {
    const missing = await analyze(path.join(work, 'nope.txt'));
    expect([missing.code, missing.stdout]).toEqual([1, '']);
    expect(missing.stderr).toMatch(/cannot read .*no such file/);
    const empty = path.join(work, 'empty.txt');
    writeFileSync(empty, '');
    const notChapter = await analyze(empty);
    expect(notChapter.code).toBe(1);
    expect(notChapter.stderr).toMatch(/analyze-chapter: .*empty/);
  });

  it('exits 2 with the usage for bad arguments', async () => {
    const { code, stderr } = await analyze('--type', 'spelling', 'fixtures/chapter-5.txt');
    expect(code).toBe(2);
    expect(stderr).toContain('usage: npm run --silent analyze');
  });
});
