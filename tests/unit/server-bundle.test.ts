import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain JavaScript build script without types
import { builtFile, ensureServerBuilt, SERVER_ENTRIES, serverBuildIsCurrent } from '../../scripts/build-server.mjs';

// `npm start` and the CLIs run plain JavaScript built by scripts/build-server.mjs: no TypeScript
// transpiler at run time (issue 20), and a source edit is picked up by the next run.
const root = path.resolve(import.meta.dirname, '../..');

describe('the server and CLI bundles', () => {
  it('are current after ensureServerBuilt, and load no TypeScript and no transpiler', async () => {
    await ensureServerBuilt();
    expect(serverBuildIsCurrent()).toBe(true);
    for (const name of Object.keys(SERVER_ENTRIES as Record<string, string>)) {
      const code = readFileSync(builtFile(name) as string, 'utf8');
      expect(code, name).not.toMatch(/from\s+["'][^"']*\.ts["']|import\(["'][^"']*\.ts["']\)/);
      expect(code, name).not.toMatch(/["']tsx(\/[^"']*)?["']/);
    }
  });

  it('runs a CLI through the package script command without tsx loaded', () => {
    const out = execFileSync(process.execPath, ['scripts/run-built.mjs', 'import-chapter', 'fixtures/chapter-5.txt'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 16 << 20 }).toString('utf8');
    expect(JSON.parse(out)).toMatchObject({ type: 'doc' });
    const scripts = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    for (const name of ['start', 'import', 'export', 'analyze']) expect(scripts[name], name).toMatch(/^node scripts\/run-built\.mjs /);
  });
});
