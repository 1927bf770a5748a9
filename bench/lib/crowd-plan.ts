import type { ServerKind } from './bench-servers.ts';
import type { BenchIdentity } from './room-sessions.ts';
import type { Summary } from './stats.ts';

/** What the load generator does in one run against one server. */
export interface CrowdConfig {
  serverKind: ServerKind;
  /** The server's y-websocket URL (`BenchServer.wsBase`). */
  wsBase: string;
  /**
   * Several servers sharing the room (docs/several-servers.md): client i connects to
   * `wsBases[i % n]` (round robin in the clients); replicas for comparison come from `wsBase`.
   */
  wsBases?: string[];
  room: string;
  /** One per client; the first `stockClients` of them use a stock y-websocket provider. */
  identities: BenchIdentity[];
  stockClients: number;
  /** Each client creates one annotation this often (first one at a random phase). */
  annotationIntervalMs: number;
  /** Each client sends its cursor (awareness on `<room>/text`) this often; null for none. */
  presenceIntervalMs: number | null;
  durationMs: number;
  /** Push the fixture chapter into `<room>/text` first (the reference server starts empty). */
  seedText: boolean;
  /** Ask for MESSAGE_STORED acknowledgements (`acks=1`, as the browser client does); Apparatus only. */
  acks: boolean;
  /** Raw clients whose replicas are fully applied and compared with the server's at the end. */
  sampledReplicas: number;
  seed: number;
}

/** How the replicas compared at the end of a run. */
export interface ConvergenceReport {
  converged: boolean;
  /** Replicas compared with a fresh replica synced from the server. */
  replicas: number;
  stateVectorMismatches: number;
  annotationMismatches: number;
  /** Annotations the server holds, and how many the clients created. */
  serverAnnotations: number;
  createdAnnotations: number;
  /** The server replica's state vector, base64 (compared with the store after shutdown). */
  serverStateVector: string;
}

/** What one run measured, as the load generator reports it. */
export interface CrowdResult {
  /** Creation → arrival at every other client, ms. */
  annotationLatency: Summary;
  /** The same, seen by the stock y-websocket clients after applying the update (a subset of the above). */
  stockLatency: Summary;
  /** Cursor sent → received by every other client, ms (empty without presence). */
  presenceLatency: Summary;
  created: number;
  /** (client, annotation) pairs that never arrived. */
  lostAnnotations: number;
  /** (client, other client) pairs whose last presence state never arrived. */
  stalePresence: number;
  presenceSent: number;
  deniedCount: number;
  deniedReasons: string[];
  /** Clients whose work the server had not acknowledged as stored at the end (acks only). */
  unacknowledged: number;
  convergence: ConvergenceReport;
  /** Whether the load generator itself kept up: its CPU share and event-loop delay. */
  loadGenerator: { cpuShare: number; loopDelayP99Ms: number; loopDelayMaxMs?: number; gcPauseMaxMs?: number; gcPauseTotalMs?: number; rssMiB?: number; drainMs: number };
}

/** Messages from the coordinator to the load generator. */
export type CoordinatorMessage = { type: 'clock' } | { type: 'prepare'; config: CrowdConfig } | { type: 'start' };

/** Messages from the load generator to the coordinator. */
export type LoadGeneratorMessage =
  | { type: 'clock'; ms: number }
  | { type: 'ready'; clients: number }
  | { type: 'result'; result: CrowdResult }
  | { type: 'error'; message: string };
