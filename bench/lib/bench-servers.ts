import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
// @ts-expect-error -- a plain JavaScript build script without types
import { ensureServerBuilt } from '../../scripts/build-server.mjs';
import { SERVER_NODE_FLAGS } from '../../scripts/server-node-flags.ts';
import { launchNode, SERVER_CORE, stopProcess, waitForOutput } from './process-launcher.ts';
import type { LaunchedProcess } from './process-launcher.ts';
import type { ProbeReply, ProbeRequest } from './probe-messages.ts';

/** Which server a run measures. */
export type ServerKind = 'apparatus' | 'reference';

/** The invite tokens of a room, one per role. */
export type RoomInvites = Record<'owner' | 'reviewer' | 'annotator' | 'viewer', string>;

/** A server under test, running in its own (pinned) process with the probe preloaded. */
export interface BenchServer {
  kind: ServerKind;
  /** `http://127.0.0.1:PORT`. */
  url: string;
  /**
   * The y-websocket server URL a provider gets, to which `/<room>/<kind>` is appended:
   * `ws://…/collab` for Apparatus, `ws://…` for the reference (which names a document by its path).
   */
  wsBase: string;
  process: LaunchedProcess;
  /** Asks the preloaded probe for event-loop delay, CPU and memory since its last reset. */
  probe(request?: Omit<ProbeRequest, 'type' | 'id'>): Promise<ProbeReply>;
  stop(): Promise<void>;
}

/** An Apparatus server process: also its admin token and the default room's invites. */
export interface ApparatusServer extends BenchServer {
  kind: 'apparatus';
  adminToken: string;
  invites: RoomInvites;
  dataDir: string;
}

const PROBE_ARGS = ['--import', 'tsx', '--import', './bench/lib/server-probe.ts'];

/**
 * With BENCH_CPU_PROF_DIR set, Apparatus server processes write a V8 CPU profile there when they
 * exit (open it in Chrome DevTools, or summarise it with `node --import tsx bench/lib/profile-summary.ts FILE`).
 */
function profilingArgs(): string[] {
  const dir = process.env.BENCH_CPU_PROF_DIR;
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : [];
}
let nextProbeId = 1;

/** Asks the probe preloaded into a launched server (server-probe.ts) over its IPC channel. */
export function prober(launched: LaunchedProcess): BenchServer['probe'] {
  return (request = {}) =>
    new Promise((resolve, reject) => {
      const id = nextProbeId++;
      const timer = setTimeout(() => reject(new Error('the server probe did not answer in 10 s')), 10_000);
      const onMessage = (message: ProbeReply): void => {
        if (message?.type !== 'bench-probe-reply' || message.id !== id) return;
        clearTimeout(timer);
        launched.child.off('message', onMessage);
        resolve(message);
      };
      launched.child.on('message', onMessage);
      launched.child.send({ type: 'bench-probe', id, ...request } satisfies ProbeRequest);
    });
}

/** Reads the invite of each role from server/main.ts's start-up banner. */
function invitesFromBanner(banner: string): RoomInvites {
  const invites: Partial<RoomInvites> = {};
  for (const role of ['owner', 'reviewer', 'annotator', 'viewer'] as const) {
    const token = new RegExp(`^\\s+${role}\\s+\\S+\\?invite=(\\S+)`, 'm').exec(banner)?.[1];
    if (!token) throw new Error(`the server banner has no ${role} invite:\n${banner}`);
    invites[role] = decodeURIComponent(token);
  }
  return invites as RoomInvites;
}

/**
 * Starts the real entry point (`server/main.ts`, built as `npm start` runs it) on a free port with
 * DATA_DIR `dataDir`, pinned to the server core (or `core`; null: not pinned), and resolves once
 * its banner (URL, admin token, invites) is complete.
 */
export async function launchApparatus(dataDir: string, env: Record<string, string> = {}, core: number | null = SERVER_CORE): Promise<ApparatusServer> {
  await ensureServerBuilt();
  const launched = launchNode({
    core,
    // What `npm start` runs: server/main.ts built to plain JavaScript (scripts/build-server.mjs), with its flags.
    args: [...SERVER_NODE_FLAGS, ...profilingArgs(), ...PROBE_ARGS, 'dist/server.mjs'],
    env: { PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, ADMIN_TOKEN: '', ...env },
    ipc: true,
    captureOutput: true,
  });
  await waitForOutput(launched, /^\s+viewer\s+\S+\?invite=\S+$/m);
  const banner = launched.output();
  const url = /Apparatus listening on (http:\/\/\S+)/.exec(banner)?.[1];
  const adminToken = /Admin token[^:]*: (\S+)/.exec(banner)?.[1];
  if (!url || !adminToken) throw new Error(`unexpected Apparatus banner:\n${banner}`);
  return {
    kind: 'apparatus',
    url,
    wsBase: `${url.replace(/^http/, 'ws')}/collab`,
    adminToken,
    invites: invitesFromBanner(banner),
    dataDir,
    process: launched,
    probe: prober(launched),
    stop: () => stopProcess(launched),
  };
}

/** Returns a TCP port that was free a moment ago (the reference server cannot listen on 0 and report it). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Starts the reference y-websocket server (`@y/websocket-server` 0.1.1, in memory, no auth, no
 * persistence: the benchmark never sets YPERSISTENCE) pinned to the server core, with the same probe preloaded.
 */
export async function launchReference(): Promise<BenchServer> {
  const port = await freePort();
  const launched = launchNode({
    core: SERVER_CORE,
    args: [...PROBE_ARGS, 'node_modules/@y/websocket-server/src/server.js'],
    env: { PORT: String(port), HOST: '127.0.0.1' },
    ipc: true,
    captureOutput: true,
  });
  await waitForOutput(launched, /running at/);
  const url = `http://127.0.0.1:${port}`;
  return { kind: 'reference', url, wsBase: `ws://127.0.0.1:${port}`, process: launched, probe: prober(launched), stop: () => stopProcess(launched) };
}
