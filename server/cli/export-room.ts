// `npm run --silent export -- --room <room> --format <format> --base-url <url> [options] [--data-dir d] [--out file]`:
// reads a room straight from the data directory (the server may be running: the database is
// opened read-only, and WAL lets it read while the server writes), or from PostgreSQL when
// DATABASE_URL is set (docs/several-servers.md), and prints the export on stdout
// (or writes it to --out). Formats are those of EXPORT_FORMATS (native, w3c, tei, csv, docx, …),
// with the options each takes as flags (--kinds claim,problem, --include-resolved, --pages). IRIs
// are built on --base-url, else PUBLIC_URL: the CLI never guesses the address a server is published at.
// Exit codes: 0 exported, 1 no such room or unreadable store, 2 bad usage.
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { exportFormat, exportFormatNames, isRoomId, parseExportChoices } from '../../schema/index.ts';
import type { DocKind, ExportBody, ExportChoices, ExportFormat, ExportOptionName } from '../../schema/index.ts';
import { readPublicUrl } from '../config.ts';
import { DATABASE_FILE } from '../persistence/database.ts';
import { replayStoredDoc } from '../persistence/doc-replay.ts';
import { openStoreReader } from '../persistence/storage.ts';
import type { StoreLocation } from '../persistence/storage.ts';
import type { UpdateStore } from '../persistence/update-store.ts';
import { snapshotRoom } from '../http/export-import-docs.ts';
import { docNameOf } from '../rooms/doc-names.ts';
import { parseCommandLine } from './cli-arguments.ts';

const USAGE = [
  `usage: npm run --silent export -- --room <room> --format <${exportFormatNames().replaceAll(', ', '|')}> --base-url <url> [--data-dir <dir>] [--out <file>]`,
  '         docx, print:  [--kinds claim,problem,comment] [--include-resolved]',
  '         text:         [--pages]',
].join('\n');

/** The command line, parsed. */
interface CliArguments {
  room: string;
  format: ExportFormat;
  choices: ExportChoices;
  store: StoreLocation;
  baseUrl: string;
  /** The file to write, or null for stdout. */
  out: string | null;
}

/** Parses the arguments, or returns the message explaining what is wrong with them. */
function parseArguments(argv: string[], env: NodeJS.ProcessEnv): CliArguments | string {
  const parsed = parseCommandLine({
    args: argv,
    options: {
      room: { type: 'string' },
      format: { type: 'string', default: 'native' },
      'data-dir': { type: 'string' },
      'base-url': { type: 'string' },
      out: { type: 'string' },
      kinds: { type: 'string' },
      'include-resolved': { type: 'boolean' },
      pages: { type: 'boolean' },
    },
    allowPositionals: false,
  });
  if (typeof parsed === 'string') return parsed;
  const { room, format: name = 'native', 'data-dir': dataDir, 'base-url': givenBaseUrl, out } = parsed.values;
  if (!room) return 'no --room given';
  if (!isRoomId(room)) return `--room ${JSON.stringify(room)} is not a room id (lower-case letters, digits and hyphens)`;
  const format = exportFormat(name);
  if (!format) return `--format must be one of ${exportFormatNames()}, got ${JSON.stringify(name)}`;
  const flags = parsed.values as Partial<Record<ExportOptionName, string | boolean>>;
  const choices = parseExportChoices(format, (option) => (flags[option] === undefined ? null : String(flags[option])));
  if (!choices.ok) return choices.error;
  const baseUrl = readPublicUrl(givenBaseUrl ?? env.PUBLIC_URL);
  if (baseUrl === null) return 'no --base-url given: name the address the server is published at (e.g. --base-url https://apparatus.example.edu), which every exported IRI is built on';
  if (typeof baseUrl === 'object') return baseUrl.error.replace('PUBLIC_URL', givenBaseUrl !== undefined ? '--base-url' : 'PUBLIC_URL');
  const store: StoreLocation = env.DATABASE_URL ? { engine: 'postgres', url: env.DATABASE_URL } : { engine: 'sqlite', dataDir: path.resolve(dataDir ?? env.DATA_DIR ?? 'data') };
  return { room, format, choices: choices.value, store, baseUrl, out: out ?? null };
}

/** Reads one stored document, replaying snapshot and log as the server does. */
async function readDoc(updates: UpdateStore, room: string, kind: DocKind) {
  const replayed = replayStoredDoc(await updates.loadDoc(docNameOf(room, kind)));
  if (!replayed.ok) throw new Error(`${room}/${kind} cannot be read: ${replayed.error}`);
  return replayed.value;
}

/** Reads the room and returns the export, or the message that explains why not. */
async function exportRoom(args: CliArguments): Promise<{ ok: true; data: ExportBody } | { ok: false; error: string }> {
  const where = args.store.engine === 'sqlite' ? path.join(args.store.dataDir, DATABASE_FILE) : 'DATABASE_URL';
  if (args.store.engine === 'sqlite' && !existsSync(where)) return { ok: false, error: `no Apparatus database at ${where}` };
  const reader = openStoreReader(args.store, { error: (event, fields) => process.stderr.write(`${event} ${String(fields?.error)}\n`) });
  try {
    const record = await reader.stores.rooms.get(args.room);
    if (!record) return { ok: false, error: `no room "${args.room}" in ${where}` };
    const { updates } = reader.stores;
    const snapshot = snapshotRoom({ id: record.id, title: record.title }, await readDoc(updates, args.room, 'text'), await readDoc(updates, args.room, 'annotations'));
    // No byte order mark: CLI output is piped into programs, not opened in Excel.
    const data = await args.format.build(snapshot, { baseUrl: args.baseUrl, exportedAt: new Date().toISOString(), byteOrderMark: false, choices: args.choices });
    return { ok: true, data: typeof data === 'string' && !data.endsWith('\n') ? `${data}\n` : data };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  } finally {
    await reader.close();
  }
}

async function main(): Promise<number> {
  const args = parseArguments(process.argv.slice(2), process.env);
  if (typeof args === 'string') {
    process.stderr.write(`${args}\n${USAGE}\n`);
    return 2;
  }
  const result = await exportRoom(args);
  if (!result.ok) {
    process.stderr.write(`export failed: ${result.error}\n`);
    return 1;
  }
  if (typeof result.data !== 'string' && args.out === null && process.stdout.isTTY) {
    process.stderr.write(`--format ${args.format.name} is binary (${args.format.fileName}): redirect the output to a file or use --out <file>\n`);
    return 2;
  }
  if (args.out !== null) writeFileSync(args.out, result.data);
  else process.stdout.write(result.data);
  return 0;
}

process.exitCode = await main();
