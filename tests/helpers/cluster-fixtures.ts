import * as Y from 'yjs';
import type { StartServerOptions } from '../../server/index.ts';
import type { PostgresInstance, RedisInstance } from './engines.ts';
import { startTestServer } from './test-server.ts';
import type { TestServer } from './test-server.ts';

/**
 * Several Apparatus servers in this process over one PostgreSQL database and one Redis
 * (docs/several-servers.md): each is a whole server (its own pool, relay connections, live
 * documents), as a separate process would be, minus the process.
 */

let databases = 0;

/** Starts `count` servers on a fresh database; `options(i)` adds settings of the i-th. */
export async function startServersOn(postgres: PostgresInstance, redis: RedisInstance, count: number, options: (i: number) => StartServerOptions = () => ({})): Promise<TestServer[]> {
  const databaseUrl = await postgres.createDatabase(`cluster_${process.pid}_${++databases}`);
  const servers: TestServer[] = [];
  // One after another: the first makes the schema and the default room, as a first deployment would.
  for (let i = 0; i < count; i++) servers.push(await startTestServer({ databaseUrl, redisUrl: redis.url, pgPoolSize: 4, ...options(i) }));
  return servers;
}

/** A student of the default room: a session of its own from the annotator invite, named. */
export interface Student {
  token: string;
  userId: string;
  name: string;
}

/** Exchanges the annotator invite for a session of its own (through `server`) and names it. */
export async function joinAsStudent(server: { url: string; invites: { annotator: string } }, n: number, room = 'chapter-5'): Promise<Student> {
  const headers = { 'Content-Type': 'application/json' };
  const session = await fetch(`${server.url}/api/rooms/${room}/sessions`, { method: 'POST', headers: { ...headers, Authorization: `Bearer ${server.invites.annotator}` }, body: '{}' });
  if (session.status !== 201) throw new Error(`POST /sessions: ${session.status} ${await session.text()}`);
  const { token, userId } = (await session.json()) as { token: string; userId: string };
  const name = `Student ${n + 1}`;
  const renamed = await fetch(`${server.url}/api/rooms/${room}/me`, { method: 'PUT', headers: { ...headers, Authorization: `Bearer ${token}` }, body: JSON.stringify({ name }) });
  if (renamed.status !== 200) throw new Error(`PUT /me: ${renamed.status} ${await renamed.text()}`);
  return { token, userId, name };
}

/** Whether a client's acknowledgements cover everything it wrote itself. */
export function ownChangesStored(client: { ydoc: Y.Doc; storedStateVector: Uint8Array | null }): boolean {
  if (!client.storedStateVector) return false;
  const own = Y.decodeStateVector(Y.encodeStateVector(client.ydoc)).get(client.ydoc.clientID) ?? 0;
  return (Y.decodeStateVector(client.storedStateVector).get(client.ydoc.clientID) ?? 0) >= own;
}
