import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  acceptProblem,
  addReply,
  annotationsMap,
  can,
  canEditAnnotation,
  canSetStatus,
  deleteAnnotation,
  deleteReply,
  dismissSuggestion,
  editReply,
  listAnnotations,
  listReplies,
  rejectProblem,
  reopenAnnotation,
  resolveAnnotation,
  updateAnnotation,
} from '../../schema/index.ts';
import type { Annotation, NewAnnotation, Reply } from '../../schema/index.ts';
import { createAccessAuthorizer } from '../../server/index.ts';
import type { Session } from '../../server/index.ts';
import { annotateAs, AuthorizerHarness, contextOf, sessionOf } from '../helpers/access-builders.ts';
import { mulberry32 } from '../helpers/seeded-random.ts';

// The update check mirrors how Yjs integrates an update; hand-made cases cannot cover every
// sequence. This fuzz drives the real authorizer with random operations of every role: each
// one the role table allows must be accepted, each it forbids refused (and nothing stored).
// Seeds are fixed; FUZZ_SEED=<n> (and FUZZ_OPS=<n>) replays or explores one.

const SEEDS = process.env.FUZZ_SEED ? [Number(process.env.FUZZ_SEED)] : [1, 2, 3];
const OPS = Number(process.env.FUZZ_OPS ?? 300);

const users: readonly Session[] = [
  sessionOf('u-owner', 'owner', 'Olga'),
  sessionOf('u-rev', 'reviewer', 'Rita'),
  sessionOf('u-ann', 'annotator', 'Anna'),
  sessionOf('u-bob', 'annotator', 'Bob'),
  sessionOf('u-view', 'viewer', 'Vera'),
];
const writers = users.filter((u) => can(u.role, 'annotate'));

/** One operation a user attempts on their replica: a name for the report, and the change. */
interface Attempt {
  what: string;
  change: (doc: Y.Doc) => void;
}

type Pick = <T>(list: readonly T[]) => T | undefined;

function newAnnotation(pick: Pick, n: number): Partial<NewAnnotation> {
  const kind = pick(['claim', 'problem', 'comment'] as const)!;
  if (kind === 'claim') return { kind, claimStatus: pick(['sourced', 'contested', 'interpretive'] as const)!, note: `claim ${n}` };
  if (kind === 'problem') return { kind, problemType: pick(['typo', 'duplication', 'grammar'] as const)!, correction: pick(['fixed', null]) ?? null, note: `problem ${n}` };
  return { kind, note: `comment ${n}` };
}

const must = (result: { ok: boolean; errors?: string[] }) => {
  if (!result.ok) throw new Error(`the operation itself failed: ${result.errors?.join('; ')}`);
};

/** The operations the role table allows `user` now, on what the server holds. */
function legitimate(user: Session, live: Y.Doc, pick: Pick, n: number): Attempt[] {
  const ctx = contextOf(user);
  const annotations = listAnnotations(live);
  const own = (a: { authorId: string }) => a.authorId === user.userId;
  const editable = annotations.filter((a) => canEditAnnotation(user.role, own(a)));
  const statusable = annotations.filter((a) => canSetStatus(user.role, own(a)));
  const replies = annotations.flatMap((a) => listReplies(live, a.id)).filter((r) => canEditAnnotation(user.role, own(r)));
  const attempts: Attempt[] = [
    { what: 'create an annotation', change: (doc) => annotateAs(doc, user, newAnnotation(pick, n)) },
    { what: 'dismiss a suggestion', change: (doc) => must(dismissSuggestion(doc, `finding-${user.userId}-${n}`, ctx)) },
  ];
  const target = pick(annotations);
  if (target) attempts.push({ what: `reply to ${target.id}`, change: (doc) => must(addReply(doc, { annotationId: target.id, body: `reply ${n}` }, ctx)) });
  const edit = pick(editable);
  if (edit) {
    attempts.push({ what: `edit the note of ${edit.id}`, change: (doc) => must(updateAnnotation(doc, edit.id, { note: `edited ${n}` }, ctx)) });
    attempts.push({ what: `delete ${edit.id}`, change: (doc) => must(deleteAnnotation(doc, edit.id, ctx)) });
  }
  const status = pick(statusable);
  if (status) attempts.push({ what: `change the status of ${status.id}`, change: (doc) => must(statusChange(status, pick)(doc, status.id, ctx)) });
  const reply = pick(replies);
  if (reply) {
    attempts.push({ what: `edit reply ${reply.id}`, change: (doc) => must(editReply(doc, reply.id, `changed ${n}`, ctx)) });
    attempts.push({ what: `delete reply ${reply.id}`, change: (doc) => must(deleteReply(doc, reply.id, ctx)) });
  }
  return attempts;
}

function statusChange(annotation: Annotation, pick: Pick) {
  if (annotation.status !== 'open') return reopenAnnotation;
  return annotation.kind === 'problem' ? pick([acceptProblem, rejectProblem])! : resolveAnnotation;
}

/** Operations the role table forbids `user` now (or that no honest client makes). */
function illegitimate(user: Session, live: Y.Doc, pick: Pick, n: number): Attempt[] {
  const ctx = contextOf(user);
  const other = pick(users.filter((u) => u.userId !== user.userId))!;
  const annotations = listAnnotations(live);
  const own = (a: { authorId: string }) => a.authorId === user.userId;
  const attempts: Attempt[] = [{ what: `create an annotation as ${other.userId}`, change: (doc) => annotateAs(doc, other, newAnnotation(pick, n)) }];
  const thread = pick(annotations);
  if (thread) attempts.push({ what: `reply as ${other.userId}`, change: (doc) => must(addReply(doc, { annotationId: thread.id, body: 'forged' }, contextOf(other))) });
  if (!can(user.role, 'annotate')) {
    attempts.push({ what: 'create an annotation as a viewer', change: (doc) => annotateAs(doc, user, newAnnotation(pick, n)) });
    attempts.push({ what: 'dismiss a suggestion as a viewer', change: (doc) => must(dismissSuggestion(doc, `finding-viewer-${n}`, ctx)) });
  }
  const foreign = pick(annotations.filter((a) => !canEditAnnotation(user.role, own(a))));
  if (foreign) {
    attempts.push({ what: `edit another user's ${foreign.id}`, change: (doc) => must(updateAnnotation(doc, foreign.id, { note: 'rewritten' }, ctx)) });
    attempts.push({ what: `delete another user's ${foreign.id}`, change: (doc) => must(deleteAnnotation(doc, foreign.id, ctx)) });
  }
  const locked = pick(annotations.filter((a) => !canSetStatus(user.role, own(a))));
  if (locked) attempts.push({ what: `change the status of another user's ${locked.id}`, change: (doc) => must(statusChange(locked, pick)(doc, locked.id, ctx)) });
  const stampable = pick(annotations.filter((a) => canSetStatus(user.role, own(a))));
  if (stampable) attempts.push({ what: `stamp a status change of ${stampable.id} as ${other.userId}`, change: (doc) => must(statusChange(stampable, pick)(doc, stampable.id, contextOf(other))) });
  const mine = pick(annotations.filter(own));
  if (mine) {
    // Layout 2 keeps identity and authorship in `made` ([authorId, authorName, created ms]); the
    // layout-1 names are refused as unknown keys there, so both are tried.
    const slot = pick([0, 1, 2, -1, -2] as const)!;
    attempts.push({
      what: slot < 0 ? `write layout-1 ${slot === -1 ? 'authorId' : 'id'} into ${mine.id}` : `rewrite made[${slot}] of ${mine.id}`,
      change: (doc) => {
        const yAnnotation = annotationsMap(doc).get(mine.id)!;
        if (slot < 0) return yAnnotation.set(slot === -1 ? 'authorId' : 'id', `forged-${n}`);
        const made = [...(yAnnotation.get('made') as unknown[])];
        made[slot] = slot === 2 ? Date.UTC(2020, 0, 1) : `forged-${n}`;
        yAnnotation.set('made', made);
      },
    });
  }
  const foreignReply: Reply | undefined = pick(annotations.flatMap((a) => listReplies(live, a.id)).filter((r) => !canEditAnnotation(user.role, own(r))));
  if (foreignReply) attempts.push({ what: `delete another user's reply ${foreignReply.id}`, change: (doc) => must(deleteReply(doc, foreignReply.id, ctx)) });
  return attempts;
}

function runFuzz(seed: number, ops: number) {
  const random = mulberry32(seed);
  const pick: Pick = (list) => (list.length === 0 ? undefined : list[Math.floor(random() * list.length)]);
  const h = new AuthorizerHarness(createAccessAuthorizer({ currentName: () => null }));
  const replicas = new Map(users.map((u) => [u.userId, h.replica()]));
  const tally = { accepted: 0, refused: 0 };
  for (let n = 0; n < ops; n++) {
    const legit = random() < 0.6;
    const user = legit ? pick(writers)! : pick(users)!;
    const attempt = pick(legit ? legitimate(user, h.live, pick, n) : illegitimate(user, h.live, pick, n))!;
    const doc = replicas.get(user.userId)!;
    const before = Y.encodeStateVector(h.live);
    const verdict = h.change(user, doc, () => attempt.change(doc));
    const where = `seed ${seed}, step ${n}: ${user.role} ${user.userId} tries to ${attempt.what}`;
    if (legit) {
      expect(verdict, where).toEqual({ ok: true });
      tally.accepted++;
    } else {
      expect(verdict.ok, `${where} (should be refused)`).toBe(false);
      expect(Y.encodeStateVector(h.live), `${where}: nothing stored`).toEqual(before);
      // A refused change stays in its replica; the client starts again from the server's copy.
      replicas.set(user.userId, h.replica());
      tally.refused++;
    }
  }
  return tally;
}

describe('the update authorizer under random operations (seeded fuzz)', () => {
  for (const seed of SEEDS) {
    it(`seed ${seed}: accepts every operation the role table allows and refuses every one it forbids`, () => {
      const tally = runFuzz(seed, OPS);
      // Both kinds were really exercised.
      expect(tally.accepted).toBeGreaterThan(OPS / 3);
      expect(tally.refused).toBeGreaterThan(OPS / 5);
    });
  }
});
