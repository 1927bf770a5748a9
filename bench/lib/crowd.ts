import type { Anchor } from '../../schema/annotations/model.ts';
import type { CrowdConfig } from './crowd-plan.ts';
import { LatencyHistogram } from './latency-histogram.ts';
import { documentUrl, PresenceLedger, RawAnnotationPeer, RawPresencePeer } from './raw-peers.ts';
import { sharedClockMs } from './shared-clock.ts';
import { StockAnnotationPeer } from './stock-peer.ts';

/** Everything one load-generator run drives and measures. */
export interface Crowd {
  raw: RawAnnotationPeer[];
  stock: StockAnnotationPeer[];
  presence: RawPresencePeer[];
  ledger: PresenceLedger;
  latency: { annotations: LatencyHistogram; stock: LatencyHistogram; presence: LatencyHistogram };
  /** Ids of every annotation the clients created. */
  createdIds: Set<string>;
}

/** Clients connect this many at a time, as a class trickles in rather than all in one millisecond. */
const JOIN_BATCH = 20;

async function inBatches<T>(items: T[], connect: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += JOIN_BATCH) await Promise.all(items.slice(i, i + JOIN_BATCH).map(connect));
}

/** The server client `i` connects to: its share of several (round robin), or the one. */
function serverOf(config: CrowdConfig, i: number): string {
  return config.wsBases && config.wsBases.length > 0 ? config.wsBases[i % config.wsBases.length]! : config.wsBase;
}

/** Connects every client of the crowd (annotations, and presence when configured) and waits until all have synced. */
export async function joinCrowd(config: CrowdConfig, random: () => number): Promise<Crowd> {
  const latency = { annotations: new LatencyHistogram(), stock: new LatencyHistogram(), presence: new LatencyHistogram() };
  const crowd: Crowd = { raw: [], stock: [], presence: [], ledger: new PresenceLedger(), latency, createdIds: new Set() };
  const acks = config.acks && config.serverKind === 'apparatus';
  await inBatches(config.identities.map((identity, i) => ({ identity, i })), async ({ identity, i }) => {
    if (i < config.stockClients) {
      const peer = new StockAnnotationPeer(serverOf(config, i), config.room, identity, acks, [latency.annotations, latency.stock]);
      crowd.stock.push(peer);
      return peer.synced();
    }
    const peer = new RawAnnotationPeer(documentUrl(serverOf(config, i), config.room, 'annotations', identity, acks), identity);
    crowd.raw.push(peer);
    return peer.synced();
  });
  if (config.presenceIntervalMs !== null) {
    await inBatches(config.identities.map((identity, i) => ({ identity, i })), async ({ identity, i }) => {
      const clientId = Math.floor(random() * 0x7fffffff);
      const peer = new RawPresencePeer(documentUrl(serverOf(config, i), config.room, 'text', identity, false), identity, clientId, crowd.ledger, latency.presence);
      crowd.presence.push(peer);
      return peer.synced();
    });
  }
  return crowd;
}

/** Calls `act` every `intervalMs`, first after a random phase, until `stop` is called. */
function every(intervalMs: number, random: () => number, act: () => void, timers: NodeJS.Timeout[]): void {
  timers.push(
    setTimeout(() => {
      act();
      timers.push(setInterval(act, intervalMs));
    }, random() * intervalMs),
  );
}

/**
 * The measured phase: every client creates an annotation every `annotationIntervalMs` and
 * (with presence) moves its cursor every `presenceIntervalMs`, for `durationMs`.
 */
export async function runCrowd(crowd: Crowd, config: CrowdConfig, anchors: Anchor[], random: () => number): Promise<void> {
  const timers: NodeJS.Timeout[] = [];
  const pick = (): Anchor => anchors[Math.floor(random() * anchors.length)]!;
  let sequence = 0;
  for (const writer of [...crowd.stock, ...crowd.raw]) {
    every(config.annotationIntervalMs, random, () => {
      const id = writer.create(pick(), sequence++);
      if (id) crowd.createdIds.add(id);
    }, timers);
  }
  if (config.presenceIntervalMs !== null) {
    for (const peer of crowd.presence) {
      every(config.presenceIntervalMs, random, () => {
        const anchor = pick();
        peer.tick({ anchor: anchor.start, head: anchor.end });
      }, timers);
    }
  }
  await new Promise((resolve) => setTimeout(resolve, config.durationMs));
  for (const timer of timers) clearTimeout(timer);
}

/**
 * Waits until nothing has arrived anywhere for `quietMs` (and, with acks, every raw client's
 * writes are acknowledged as stored), at most `limitMs`. Returns how long it waited.
 */
export async function drainCrowd(crowd: Crowd, acks: boolean, quietMs = 1000, limitMs = 20_000): Promise<number> {
  const started = performance.now();
  const lastArrival = (): number => Math.max(0, ...crowd.raw.map((p) => p.lastArrival), ...crowd.presence.map((p) => p.lastArrival));
  const settled = (): boolean => !acks || crowd.raw.every((peer) => peer.acknowledged());
  while (performance.now() - started < limitMs) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    if (sharedClockMs() - lastArrival() >= quietMs && settled()) break;
  }
  return Math.round(performance.now() - started);
}

/** Closes every client. */
export function leaveCrowd(crowd: Crowd): void {
  for (const peer of [...crowd.raw, ...crowd.presence]) peer.close();
  for (const peer of crowd.stock) peer.destroy();
}
