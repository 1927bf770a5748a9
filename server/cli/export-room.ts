// `npm run --silent export -- --room <room> --format native|w3c|csv [--data-dir d] [--base-url u]`:
// reads a room straight from the data directory (the server may be running: the database is
// opened read-only, and WAL lets it read while the server writes) and prints the export on stdout.
// Exit codes: 0 exported, 1 no such room or unreadable store, 2 bad usage.
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { exportCsv, exportNative, exportW3C } from '../../schema/index.ts';
import { DATABASE_FILE } from '../persistence/database.ts';
import type { AppDatabase } from '../persistence/database.ts';
import { replayStoredDoc } from '../persistence/doc-replay.ts';
import { RoomStore } from '../persistence/room-store.ts';
import { UpdateStore } from '../persistence/update-store.ts';
import { snapshotRoom } from '../http/export-import-docs.ts';
import { docNameOf, isRoomId } from '../rooms/doc-names.ts';

const USAGE = 'usage: npm run --silent export -- --room <room> --format native|w3c|csv [--data-dir <dir>] [--base-url <url>]';
const FORMATS = ['native', 'w3c', 'csv'] as const;
type Format = (typeof FORMATS)[number];

/** The command line, parsed. */
interface CliArguments {
  room: string;
  format: Format;
  dataDir: string;
  baseUrl: string;
}

/** Parses the arguments, or returns the message explaining what is wrong with them. */
function parseArguments(argv: readonly string[], env: NodeJS.ProcessEnv): CliArguments | string {
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const option = argv[i]!;
    if (!['--room', '--format', '--data-dir', '--base-url'].includes(option)) return `unknown argument ${option}`;
    const value = argv[++i];
    if (value === undefined) return `${option} needs a value`;
    values.set(option, value);
  }
  const room = values.get('--room');
  if (!room) return 'no --room given';
  if (!isRoomId(room)) return `--room ${JSON.stringify(room)} is not a room id (lower-case letters, digits and hyphens)`;
  const format = values.get('--format') ?? 'native';
  if (!(FORMATS as readonly string[]).includes(format)) return `--format must be native, w3c or csv, got ${JSON.stringify(format)}`;
  const port = env.PORT ?? '8080';
  return {
    room,
    format: format as Format,
    dataDir: path.resolve(values.get('--data-dir') ?? env.DATA_DIR ?? 'data'),
    baseUrl: values.get('--base-url') ?? `http://${env.HOST ?? '127.0.0.1'}:${port}`,
  };
}

/** Reads one stored document, replaying snapshot and log as the server does. */
function readDoc(updates: UpdateStore, room: string, kind: 'text' | 'annotations') {
  const replayed = replayStoredDoc(updates.loadDoc(docNameOf(room, kind)));
  if (!replayed.ok) throw new Error(`${room}/${kind} cannot be read: ${replayed.error}`);
  return replayed.value;
}

/** Reads the room and returns the export text, or the message that explains why not. */
function exportRoom(args: CliArguments): { ok: true; text: string } | { ok: false; error: string } {
  const file = path.join(args.dataDir, DATABASE_FILE);
  if (!existsSync(file)) return { ok: false, error: `no Apparatus database at ${file}` };
  const db: AppDatabase = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const record = new RoomStore(db).get(args.room);
    if (!record) return { ok: false, error: `no room "${args.room}" in ${file}` };
    const updates = new UpdateStore(db);
    const snapshot = snapshotRoom({ id: record.id, title: record.title }, readDoc(updates, args.room, 'text'), readDoc(updates, args.room, 'annotations'));
    const options = { baseUrl: args.baseUrl, exportedAt: new Date().toISOString() };
    if (args.format === 'csv') return { ok: true, text: exportCsv(snapshot) };
    const doc = args.format === 'native' ? exportNative(snapshot, options) : exportW3C(snapshot, options);
    return { ok: true, text: `${JSON.stringify(doc)}\n` };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  } finally {
    db.close();
  }
}

function main(): number {
  const args = parseArguments(process.argv.slice(2), process.env);
  if (typeof args === 'string') {
    process.stderr.write(`${args}\n${USAGE}\n`);
    return 2;
  }
  const result = exportRoom(args);
  if (!result.ok) {
    process.stderr.write(`export failed: ${result.error}\n`);
    return 1;
  }
  process.stdout.write(result.text);
  return 0;
}

process.exitCode = main();
