import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SERVER_NODE_FLAGS } from '../../scripts/server-node-flags.ts';

// The benchmarks and the process tests start the server with SERVER_NODE_FLAGS, to measure and
// test what `npm start` runs: the two must not drift apart.

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

describe('the server’s Node flags', () => {
  it('are the flags `npm start` passes to node, before the entry script', () => {
    const start = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.start!;
    const words = start.split(/\s+/);
    expect(words[0]).toBe('node');
    const entry = words.indexOf('scripts/run-built.mjs');
    expect(entry).toBeGreaterThan(0);
    expect(words.slice(1, entry)).toEqual(SERVER_NODE_FLAGS);
  });

  it('are flags Node accepts', () => {
    for (const flag of SERVER_NODE_FLAGS) expect(process.allowedNodeEnvironmentFlags.has(flag.split('=')[0]!)).toBe(true);
  });
});
