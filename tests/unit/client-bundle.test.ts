import { describe, expect, it } from 'vitest';
import { build } from 'esbuild';
import type { BuildOptions, Metafile } from 'esbuild';

/** The package directory an input file belongs to (`node_modules/yjs`, `node_modules/a/node_modules/yjs`). */
function packageDirOf(input: string, name: string): string | null {
  const match = new RegExp(`^(.*node_modules/${name})/`).exec(input);
  return match ? match[1]! : null;
}

async function bundleMetafile(): Promise<Metafile> {
  // The real build's options (scripts/build-client.mjs), bundled in memory.
  const script = '../../scripts/build-client.mjs';
  const { appBuildOptions } = (await import(script)) as { appBuildOptions: () => BuildOptions };
  const result = await build({ ...appBuildOptions(), write: false, sourcemap: false, logLevel: 'silent' });
  return result.metafile!;
}

async function bundleInputs(): Promise<Metafile['inputs']> {
  return (await bundleMetafile()).inputs;
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

  it('leaves out the Word writer (the docx package), which only the server runs', async () => {
    const outputs = Object.values((await bundleMetafile()).outputs).filter((output) => output.entryPoint);
    const docxBytes = outputs.flatMap((output) => Object.entries(output.inputs)).filter(([input]) => input.includes('node_modules/docx/')).reduce((sum, [, used]) => sum + used.bytesInOutput, 0);
    expect(docxBytes).toBe(0);
  });

  it('keeps server code and Node built-ins out of the bundle', async () => {
    const inputs = Object.keys(await bundleInputs());
    expect(inputs.filter((input) => input.startsWith('server/') || input.startsWith('node:'))).toEqual([]);
  });
});
