import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { spawnServer } from '../helpers/test-server.ts';
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
    // `start` passes the server's Node flags first (scripts/server-node-flags.ts).
    for (const name of ['start', 'import', 'export', 'analyze']) expect(scripts[name], name).toMatch(/^node (--[\w-]+=\S+ )*scripts\/run-built\.mjs /);
  });

  it('starts the built server, whose worker threads run the built jobs (a new room’s chapter is imported in one)', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'apparatus-bundle-'));
    const server = await spawnServer(dataDir);
    try {
      expect(server.child.spawnargs).toContain('scripts/run-built.mjs');
      const response = await fetch(`${server.url}/api/rooms`, {
        method: 'POST',
        headers: { authorization: `Bearer ${server.adminToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ id: 'bundle-check', title: 'Bundle', text: readFileSync(path.join(root, 'fixtures/chapter-5.txt'), 'utf8') }),
      });
      expect(response.status, await response.text()).toBe(201);
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
