// Validation cost of the access layer's update check (issue 6, item 1): how long the server
// spends deciding on one incoming update to `<room>/annotations` holding 2,000 annotations
// (and 500 replies) by 20 users, for the updates real clients send — create, edit a note,
// resolve someone's annotation, reply, delete with its thread, dismiss a suggestion — and for a
// refused one (a forged author) and a reconnecting client's sync step 2 (its full delete set).
// Beside each: the role-only check and Y.applyUpdate of the same update, for scale.
//
// Prints the figures and writes bench/results/validation-cost.json.
//   node --import tsx bench/validation-cost.ts [--annotations 2000] [--updates 3000]
import { execSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import * as Y from 'yjs';
import { addReply, annotationsMap, storedAuthorId, deleteAnnotation, dismissSuggestion, resolveAnnotation, updateAnnotation } from '../schema/index.ts';
import type { Role } from '../schema/index.ts';
import { createAccessAuthorizer, defaultAuthorizeUpdate } from '../server/index.ts';
import type { Session, UpdateAuthorizer } from '../server/index.ts';
import { annotateAs, contextOf, sessionOf } from '../tests/helpers/access-builders.ts';
import { mulberry32 } from '../tests/helpers/convergence-fuzz.ts';

const { values } = parseArgs({ options: { annotations: { type: 'string', default: '2000' }, updates: { type: 'string', default: '3000' } } });
const ANNOTATIONS = Number(values.annotations);
const UPDATES = Number(values.updates);
const USERS = 20;
const root = path.resolve(import.meta.dirname, '..');
const random = mulberry32(6);

/** Twenty users: one owner, three reviewers, the rest annotators; each writes with its own Yjs client id. */
const users: { session: Session; clientId: number }[] = Array.from({ length: USERS }, (_, i) => {
  const role: Role = i === 0 ? 'owner' : i < 4 ? 'reviewer' : 'annotator';
  return { session: sessionOf(`u-bench-${String(i).padStart(2, '0')}`, role, `User ${i}`), clientId: 1000 + i };
});

const live = new Y.Doc();
const replica = new Y.Doc();
const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;

/** Makes a change on the replica as `user` (its client id) and returns the update it produces. */
function changeAs(user: (typeof users)[number], change: () => void): Uint8Array {
  replica.clientID = user.clientId;
  const updates: Uint8Array[] = [];
  const record = (update: Uint8Array) => updates.push(update);
  replica.on('update', record);
  change();
  replica.off('update', record);
  return Y.mergeUpdates(updates);
}

function seed(): void {
  for (let i = 0; i < ANNOTATIONS; i++) {
    const user = users[i % USERS]!;
    const update = changeAs(user, () => annotateAs(replica, user.session, { note: `Note ${i}` }));
    Y.applyUpdate(live, update);
  }
  const ids = [...annotationsMap(replica).keys()];
  for (let i = 0; i < 500; i++) {
    const user = pick(users);
    Y.applyUpdate(live, changeAs(user, () => addReply(replica, { annotationId: pick(ids), body: `Reply ${i}` }, contextOf(user.session))));
  }
}

type Kind = 'create' | 'edit-note' | 'resolve-others' | 'reply' | 'delete-with-thread' | 'dismiss' | 'refused-forged-author';

/** Produces one update of `kind` and the session that sends it. */
function makeUpdate(kind: Kind, n: number): { session: Session; update: Uint8Array } {
  const ids = [...annotationsMap(replica).keys()];
  const authorOf = (id: string) => users.find((u) => u.session.userId === storedAuthorId(annotationsMap(replica).get(id)))!;
  switch (kind) {
    case 'create': {
      const user = pick(users);
      return { session: user.session, update: changeAs(user, () => annotateAs(replica, user.session, { note: `New ${n}` })) };
    }
    case 'edit-note': {
      const id = pick(ids);
      const user = authorOf(id);
      return { session: user.session, update: changeAs(user, () => updateAnnotation(replica, id, { note: `Edited ${n}` }, contextOf(user.session))) };
    }
    case 'resolve-others': {
      const user = users[1 + (n % 3)]!;
      const id = pick(ids);
      return { session: user.session, update: changeAs(user, () => resolveAnnotation(replica, id, contextOf(user.session))) };
    }
    case 'reply': {
      const user = pick(users);
      return { session: user.session, update: changeAs(user, () => addReply(replica, { annotationId: pick(ids), body: `Reply ${n}` }, contextOf(user.session))) };
    }
    case 'delete-with-thread': {
      const id = pick(ids);
      const user = authorOf(id);
      return { session: user.session, update: changeAs(user, () => deleteAnnotation(replica, id, contextOf(user.session))) };
    }
    case 'dismiss': {
      const user = pick(users);
      return { session: user.session, update: changeAs(user, () => dismissSuggestion(replica, `finding-${n}`, contextOf(user.session))) };
    }
    case 'refused-forged-author': {
      const user = users[5]!;
      // A live client's update (its transaction only) forging another user as author, made on a
      // throwaway copy so the replica stays equal to what the server accepted.
      const scratch = new Y.Doc();
      Y.applyUpdate(scratch, Y.encodeStateAsUpdate(replica));
      scratch.clientID = user.clientId;
      let update: Uint8Array = new Uint8Array();
      scratch.once('update', (u: Uint8Array) => (update = u));
      annotateAs(scratch, users[6]!.session, { note: 'forged' });
      scratch.destroy();
      return { session: user.session, update };
    }
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

function summary(times: number[]): { n: number; medianUs: number; p95Us: number; p99Us: number; maxUs: number } {
  const sorted = [...times].sort((a, b) => a - b);
  const us = (ms: number) => Math.round(ms * 1000 * 10) / 10;
  return { n: sorted.length, medianUs: us(percentile(sorted, 50)), p95Us: us(percentile(sorted, 95)), p99Us: us(percentile(sorted, 99)), maxUs: us(sorted.at(-1) ?? NaN) };
}

function time(fn: () => void): number {
  const started = performance.now();
  fn();
  return performance.now() - started;
}

function request(session: Session, update: Uint8Array) {
  return { room: 'bench', docName: 'bench/annotations', kind: 'annotations' as const, session, update, ydoc: live };
}

function main(): void {
  const seedStarted = performance.now();
  seed();
  const seedMs = performance.now() - seedStarted;
  const authorize: UpdateAuthorizer = createAccessAuthorizer();
  // The first check builds the document's shadow (a full copy); measured on its own.
  const shadowMs = time(() => authorize(request(users[0]!.session, changeAs(users[0]!, () => annotateAs(replica, users[0]!.session)))));
  Y.applyUpdate(live, Y.encodeStateAsUpdate(replica, Y.encodeStateVector(live)));

  const kinds: Kind[] = ['create', 'edit-note', 'resolve-others', 'reply', 'delete-with-thread', 'dismiss', 'refused-forged-author'];
  const check: Record<string, number[]> = {};
  const roleOnly: number[] = [];
  const apply: number[] = [];
  const all: number[] = [];
  let refusedWrongly = 0;
  for (let n = 0; n < UPDATES; n++) {
    const kind = kinds[n % kinds.length]!;
    const { session, update } = makeUpdate(kind, n);
    let verdict: ReturnType<UpdateAuthorizer> = { ok: true };
    const ms = time(() => (verdict = authorize(request(session, update))));
    if (verdict.ok === (kind === 'refused-forged-author')) refusedWrongly++;
    (check[kind] ??= []).push(ms);
    if (n > 50) all.push(ms);
    roleOnly.push(time(() => defaultAuthorizeUpdate(request(session, update))));
    if (verdict.ok) apply.push(time(() => Y.applyUpdate(live, update)));
  }
  const resync = measureResync(authorize);
  const figures = {
    annotations: annotationsMap(live).size,
    replies: live.getMap('replies').size,
    users: USERS,
    updates: UPDATES,
    unexpectedVerdicts: refusedWrongly,
    seedMs: Math.round(seedMs),
    shadowCreationMs: Math.round(shadowMs * 10) / 10,
    perUpdate: summary(all),
    byKind: Object.fromEntries(Object.entries(check).map(([kind, times]) => [kind, summary(times.slice(5))])),
    reconnectSyncStep2: resync,
    roleOnlyCheck: summary(roleOnly),
    yjsApplyUpdate: summary(apply),
  };
  report(figures);
}

/**
 * A client back after 20 offline edits sends everything beyond the server's state vector, with
 * its whole delete set (every overwritten field of the room's history). One offline replica, 60
 * rounds of 20 edits each, the first 10 rounds discarded as warm-up.
 */
function measureResync(authorize: UpdateAuthorizer): ReturnType<typeof summary> & { bytes: number; deleteRanges: number } {
  const user = users[4]!;
  const offline = new Y.Doc();
  Y.applyUpdate(offline, Y.encodeStateAsUpdate(live));
  // Set after loading: Yjs picks a new id when it sees its own in remote data.
  offline.clientID = 5000;
  const mine = [...annotationsMap(offline).entries()].filter(([, y]) => storedAuthorId(y) === user.session.userId).map(([id]) => id);
  const times: number[] = [];
  let bytes = 0;
  let deleteRanges = 0;
  for (let round = 0; round < 60; round++) {
    for (let i = 0; i < 20; i++) updateAnnotation(offline, mine[(round * 20 + i) % mine.length]!, { note: `Offline ${round}/${i}` }, contextOf(user.session));
    const update = Y.encodeStateAsUpdate(offline, Y.encodeStateVector(live));
    let verdict: ReturnType<UpdateAuthorizer> = { ok: false, reason: '' };
    const ms = time(() => (verdict = authorize(request(user.session, update))));
    if (round >= 10) times.push(ms);
    if (verdict.ok) Y.applyUpdate(live, update);
    bytes = update.byteLength;
    deleteRanges = [...Y.decodeUpdate(update).ds.clients.values()].reduce((n, ranges) => n + ranges.length, 0);
  }
  offline.destroy();
  return { ...summary(times), bytes, deleteRanges };
}

function report(figures: Record<string, unknown>): void {
  const cpu = os.cpus()[0]?.model ?? 'unknown';
  const commit = (() => {
    try {
      return execSync('git rev-parse --short HEAD', { cwd: root }).toString().trim();
    } catch {
      return 'unknown';
    }
  })();
  const result = { scenario: 'validation-cost', date: new Date().toISOString(), machine: { cpu, cores: os.cpus().length, node: process.version }, commit, figures };
  const out = path.join(root, 'bench/results/validation-cost.json');
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify(result, null, 2) + '\n');
  const f = figures as { perUpdate: { medianUs: number; p99Us: number }; byKind: Record<string, { medianUs: number; p99Us: number }>; reconnectSyncStep2: { medianUs: number; p99Us: number; bytes: number; deleteRanges: number }; roleOnlyCheck: { medianUs: number }; yjsApplyUpdate: { medianUs: number; p99Us: number }; shadowCreationMs: number; annotations: number; unexpectedVerdicts: number };
  console.log(`validation cost per update at ${f.annotations} annotations: median ${f.perUpdate.medianUs} µs, p99 ${f.perUpdate.p99Us} µs`);
  for (const [kind, s] of Object.entries(f.byKind)) console.log(`  ${kind.padEnd(22)} median ${String(s.medianUs).padStart(7)} µs  p99 ${String(s.p99Us).padStart(7)} µs`);
  console.log(`  reconnect sync step 2 (${f.reconnectSyncStep2.bytes} bytes, ${f.reconnectSyncStep2.deleteRanges} delete ranges) median ${f.reconnectSyncStep2.medianUs} µs  p99 ${f.reconnectSyncStep2.p99Us} µs`);
  console.log(`for scale: role-only check median ${f.roleOnlyCheck.medianUs} µs; Y.applyUpdate median ${f.yjsApplyUpdate.medianUs} µs, p99 ${f.yjsApplyUpdate.p99Us} µs`);
  console.log(`shadow document built once per loaded room: ${f.shadowCreationMs} ms; unexpected verdicts: ${f.unexpectedVerdicts}`);
  console.log(`wrote ${path.relative(root, out)}`);
}

main();
