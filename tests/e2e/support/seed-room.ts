import { acceptProblem, addReply, annotationsMap, BlockTable, createAnchorFromTextRange, createAnnotation, projectYDoc, TEXT_FRAGMENT_NAME } from '../../../schema/index.ts';
import type { AnnotationKind, ClaimStatus, OperationContext } from '../../../schema/index.ts';
import { connectClient, waitFor } from '../../helpers/yws-client.ts';
import type { TestClient } from '../../helpers/yws-client.ts';

/**
 * Seeds a room the way people would fill it, through the collaboration protocol as real
 * sessions: an annotator writes the annotations, the owner replies and accepts a problem.
 * For specs that need a populated room quickly (printing, exports), not for testing the UI.
 */

/** One seeded annotation: what it says about which words. */
export interface SeededAnnotation {
  id: string;
  kind: AnnotationKind;
  claimStatus: ClaimStatus | null;
  quote: string;
  correction: string | null;
  note: string;
  replies: string[];
}

interface Session {
  token: string;
  userId: string;
  name: string;
}

/** Exchanges an invite for a named session, as the browser does when someone joins. */
async function session(baseUrl: string, room: string, invite: string, name: string): Promise<Session> {
  const response = await fetch(`${baseUrl}/api/rooms/${room}/sessions`, { method: 'POST', headers: { authorization: `Bearer ${invite}` } });
  if (!response.ok) throw new Error(`no session for ${name}: ${response.status}`);
  const { token, userId } = (await response.json()) as { token: string; userId: string };
  const named = await fetch(`${baseUrl}/api/rooms/${room}/me`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name }),
  });
  if (!named.ok) throw new Error(`could not name ${name}: ${named.status}`);
  return { token, userId, name };
}

async function connect(baseUrl: string, room: string, who: Session): Promise<{ text: TestClient; notes: TestClient; context: OperationContext }> {
  const text = connectClient({ url: baseUrl, room, kind: 'text', token: who.token });
  const notes = connectClient({ url: baseUrl, room, kind: 'annotations', token: who.token });
  await Promise.all([text.synced(), notes.synced()]);
  return { text, notes, context: { actor: { userId: who.userId, name: who.name }, now: () => new Date() } };
}

const CYCLE: Array<{ kind: AnnotationKind; claimStatus: ClaimStatus | null }> = [
  { kind: 'claim', claimStatus: 'sourced' },
  { kind: 'claim', claimStatus: 'contested' },
  { kind: 'claim', claimStatus: 'interpretive' },
  { kind: 'problem', claimStatus: null },
  { kind: 'comment', claimStatus: null },
];

/**
 * Puts `count` annotations on the fixture chapter, spread over its pages: one on words 3–8 of
 * every other body paragraph, then on the opening words of two footnotes, cycling through the
 * kinds (problems propose a correction); every fourth gets a reply from the owner, and the
 * first problem is accepted. Returns them in reading order.
 */
export async function seedAnnotations(baseUrl: string, room: string, invites: { owner: string; annotator: string }, count = 20): Promise<SeededAnnotation[]> {
  const annotator = await connect(baseUrl, room, await session(baseUrl, room, invites.annotator, 'Anna Student'));
  const owner = await connect(baseUrl, room, await session(baseUrl, room, invites.owner, 'Olga Owner'));
  try {
    const table = new BlockTable(annotator.text.ydoc.getXmlFragment(TEXT_FRAGMENT_NAME));
    const { text, blocks } = projectYDoc(annotator.text.ydoc);
    const paragraphs = blocks.filter((b) => b.type === 'paragraph').filter((_, i) => i % 2 === 0);
    const notes = blocks.filter((b) => b.type === 'footnote' && (b.n === 135 || b.n === 153));
    const targets = [...paragraphs.slice(0, count - notes.length), ...notes].slice(0, count);
    const seeded: SeededAnnotation[] = [];
    targets.forEach((block, i) => {
      const blockText = text.slice(block.start, block.end);
      const words = [...blockText.matchAll(/\S+/g)];
      const from = block.type === 'footnote' ? 0 : 2;
      const start = block.start + words[from]!.index;
      const end = block.start + words[from + 5]!.index + words[from + 5]![0].length;
      const anchor = createAnchorFromTextRange(table, { start, end });
      if (!anchor.ok) throw new Error(anchor.error);
      const { kind, claimStatus } = CYCLE[i % CYCLE.length]!;
      const quote = text.slice(start, end);
      const correction = kind === 'problem' ? `${quote} [corrected]` : null;
      const note = `Seeded ${kind} ${i + 1}.`;
      const made = createAnnotation(annotator.notes.ydoc, { kind, claimStatus, problemType: kind === 'problem' ? 'mistranslation' : null, correction, note, anchor: anchor.value, footnotes: [] }, annotator.context);
      if (!made.ok) throw new Error(made.errors.join('; '));
      seeded.push({ id: made.value.id, kind, claimStatus, quote, correction, note, replies: [] });
    });
    await annotator.notes.stored(30_000);
    await waitFor(() => seeded.every((s) => annotationsMap(owner.notes.ydoc).has(s.id)), 'the owner to receive the seeded annotations', 30_000);
    seeded.forEach((item, i) => {
      if (i % 4 !== 0) return;
      const body = `Reply to ${i + 1} from the owner.`;
      const replied = addReply(owner.notes.ydoc, { annotationId: item.id, body }, owner.context);
      if (!replied.ok) throw new Error(replied.errors.join('; '));
      item.replies.push(body);
    });
    const firstProblem = seeded.find((s) => s.kind === 'problem')!;
    const accepted = acceptProblem(owner.notes.ydoc, firstProblem.id, owner.context);
    if (!accepted.ok) throw new Error(accepted.errors.join('; '));
    await owner.notes.stored(30_000);
    return seeded;
  } finally {
    for (const client of [annotator.text, annotator.notes, owner.text, owner.notes]) client.destroy();
  }
}
