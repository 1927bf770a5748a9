import { describe, expect, it } from 'vitest';
import { build } from 'esbuild';
import type { BuildOptions, Metafile } from 'esbuild';

/** The package directory an input file belongs to (`node_modules/yjs`, `node_modules/a/node_modules/yjs`). */
function packageDirOf(input: string, name: string): string | null {
  const match = new RegExp(`^(.*node_modules/${name})/`).exec(input);
  return match ? match[1]! : null;
}

async function bundleInputs(): Promise<Metafile['inputs']> {
  // The real build's options (scripts/build-client.mjs), bundled in memory.
  const script = '../../scripts/build-client.mjs';
  const { appBuildOptions } = (await import(script)) as { appBuildOptions: () => BuildOptions };
  const result = await build({ ...appBuildOptions(), write: false, sourcemap: false, logLevel: 'silent' });
  return result.metafile!.inputs;
}

describe('the browser bundle', () => {
  it('contains exactly one copy of yjs and of lib0, so Yjs never warns about a double import', async () => {
    const inputs = Object.keys(await bundleInputs());
    for (const name of ['yjs', 'lib0']) {
      const copies = new Set(inputs.map((input) => packageDirOf(input, name)).filter((dir): dir is string => dir !== null));
      expect([...copies], `${name} copies`).toHaveLength(1);
    }
    expect(inputs.some((input) => input.includes('node_modules/y-prosemirror/'))).toBe(true);
  });

  it('keeps server code and Node built-ins out of the bundle', async () => {
    const inputs = Object.keys(await bundleInputs());
    expect(inputs.filter((input) => input.startsWith('server/') || input.startsWith('node:'))).toEqual([]);
  });
});
