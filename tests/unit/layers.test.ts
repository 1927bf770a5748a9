import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

// The layer rule (README, "Architecture"): client → schema ← server, schema/ pure. tsconfig lib/types catch DOM and Node
// globals; this test catches the imports a type check cannot see, and import cycles.
const root = path.resolve(import.meta.dirname, '../..');
const importPattern = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return name === 'node_modules' ? [] : tsFiles(full);
    return full.endsWith('.ts') && !full.endsWith('.d.ts') ? [full] : [];
  });
}

function importsOf(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  return [...source.matchAll(importPattern)].map((m) => m[1] ?? m[2]).filter((s): s is string => !!s);
}

function layerOf(file: string): string {
  return path.relative(root, file).split(path.sep)[0] ?? '';
}

const forbiddenInSchema = /^(node:|fs$|path$|http$|ws$|lit|prosemirror-view|y-websocket|y-indexeddb|better-sqlite3)/;
const layers = ['schema', 'server', 'client'];
const files = layers.flatMap((layer) => tsFiles(path.join(root, layer)));

describe('layer rule', () => {
  it('keeps schema/ free of DOM, Node and view imports', () => {
    const offenders = files
      .filter((f) => layerOf(f) === 'schema')
      .flatMap((f) => importsOf(f).filter((s) => forbiddenInSchema.test(s)).map((s) => `${path.relative(root, f)} → ${s}`));
    expect(offenders).toEqual([]);
  });

  it('lets client/ and server/ meet only in schema/', () => {
    const offenders = files.flatMap((f) => {
      const from = layerOf(f);
      return importsOf(f)
        .filter((s) => s.startsWith('.'))
        .map((s) => layerOf(path.resolve(path.dirname(f), s)))
        .filter((to) => (from === 'client' && to === 'server') || (from === 'server' && to === 'client') || (from === 'schema' && to !== 'schema'))
        .map((to) => `${path.relative(root, f)} → ${to}/`);
    });
    expect(offenders).toEqual([]);
  });

  // schema/README.md: each folder of schema/ may import only the folders listed for it, so that
  // the shared core keeps one direction too (chapter ← annotations ← anchoring ← exchange).
  const schemaFolderImports: Record<string, readonly string[]> = {
    room: [],
    chapter: [],
    annotations: ['chapter'],
    anchoring: ['chapter', 'annotations'],
    analysis: ['chapter', 'annotations'],
    exchange: ['chapter', 'annotations', 'anchoring', 'room', 'analysis'],
  };

  function schemaFolderOf(file: string): string {
    const parts = path.relative(path.join(root, 'schema'), file).split(path.sep);
    return parts.length > 1 ? (parts[0] ?? '') : '';
  }

  it('keeps each folder of schema/ to the folders it may import', () => {
    const offenders = files
      .filter((f) => layerOf(f) === 'schema' && schemaFolderOf(f) !== '')
      .flatMap((f) => {
        const from = schemaFolderOf(f);
        const allowed = schemaFolderImports[from];
        if (!allowed) return [`${path.relative(root, f)}: schema/${from}/ has no entry in the folder rule`];
        return importsOf(f)
          .filter((s) => s.startsWith('.'))
          .map((s) => schemaFolderOf(path.resolve(path.dirname(f), s)))
          .filter((to) => to !== from && !allowed.includes(to))
          .map((to) => `${path.relative(root, f)} → schema/${to || '(top level)'}/`);
      });
    expect(offenders).toEqual([]);
  });

  it('has no import cycles', () => {
    const graph = new Map<string, string[]>();
    for (const f of files) {
      graph.set(f, importsOf(f).filter((s) => s.startsWith('.')).map((s) => path.resolve(path.dirname(f), s)));
    }
    const state = new Map<string, 'visiting' | 'done'>();
    const cycles: string[] = [];
    const visit = (f: string, trail: string[]) => {
      if (state.get(f) === 'done') return;
      if (state.get(f) === 'visiting') {
        cycles.push([...trail.slice(trail.indexOf(f)), f].map((x) => path.relative(root, x)).join(' → '));
        return;
      }
      state.set(f, 'visiting');
      for (const next of graph.get(f) ?? []) visit(next, [...trail, f]);
      state.set(f, 'done');
    };
    for (const f of graph.keys()) visit(f, []);
    expect(cycles).toEqual([]);
  });
});
