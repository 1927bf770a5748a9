import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agreementReport, overviewClaims, ROUND_CHANGED_CLOSE, roundLayerName } from '../../schema/index.ts';
import type { NativeExport, ReadAnnotation } from '../../schema/index.ts';
import { createRoomViaApi, startTestServer } from '../helpers/test-server.ts';
import type { RoleTokens, TestServer } from '../helpers/test-server.ts';
import { RawClient, waitUntil } from '../helpers/raw-client.ts';
import { annotationIds, callApi, namedSession, RoundReader, startRound } from '../helpers/round-readers.ts';
import type { ProgramSession } from '../helpers/round-readers.ts';
import { connectClient } from '../helpers/yws-client.ts';

// Sentences of the fixture chapter the readers judge (each a whole sentence of one paragraph).
const SENTENCES = [
  'So they decided to first alter their economic and social policies',
  'more than 90,000 court rulings were vacated',
] as const;

describe('blind rounds', () => {
  let server: TestServer;
  const readers: RoundReader[] = [];
  const raws: RawClient[] = [];

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    for (const reader of readers.splice(0)) reader.leave();
    for (const raw of raws.splice(0)) raw.close();
    await server.stop();
  });

  /** A fresh room, its invites, an owner session and three student sessions. */
  async function classroom(room: string): Promise<{ invites: RoleTokens; owner: ProgramSession; students: ProgramSession[] }> {
    const invites = await createRoomViaApi(server, room);
    const owner = await namedSession(server.url, room, invites.owner, 'Dr Lee');
    const students = await Promise.all(['Ada', 'Boris', 'Chen'].map((name) => namedSession(server.url, room, invites.annotator, name)));
    return { invites, owner, students };
  }

  async function raw(path: string, token: string): Promise<RawClient> {
    const client = await RawClient.connect({ url: server.url, path: `/collab/${path}?token=${encodeURIComponent(token)}` });
    raws.push(client);
    return client;
  }

  async function join(room: string, roundId: number, session: ProgramSession): Promise<RoundReader> {
    const reader = await RoundReader.join(server.url, room, roundId, session);
    readers.push(reader);
    return reader;
  }

  it("keeps a raw-protocol client of student A from anything of student B's during the round; presence still works", async () => {
    const room = 'blind-raw';
    const { owner, students } = await classroom(room);
    const [ada, boris] = students as [ProgramSession, ProgramSession];
    const round = await startRound(server.url, room, owner.token);
    const borisReader = await join(room, round.id, boris);
    const borisClaim = borisReader.tag(SENTENCES[0], 'contested');
    await borisReader.layer.stored();

    // Ada's own layer: synced, and holding nothing of Boris's; no frame carries his annotation's id.
    const own = await raw(roundLayerName(room, round.id, ada.userId), ada.token);
    await own.sync();
    expect(annotationIds(own.doc)).toEqual([]);
    // Boris's layer and the shared layer: closed before a byte of either is sent.
    const theirs = await raw(roundLayerName(room, round.id, boris.userId), ada.token);
    const shared = await raw(`${room}/annotations`, ada.token);
    expect((await theirs.ended).code).toBe(4403);
    expect((await shared.ended).code).toBe(ROUND_CHANGED_CLOSE);
    expect(theirs.frames).toEqual([]);
    expect(shared.frames).toEqual([]);

    // Boris writes more while Ada's socket is open: nothing of it reaches her.
    borisReader.tag(SENTENCES[1], 'sourced');
    await borisReader.layer.stored();
    const adaText = await raw(`${room}/text`, ada.token);
    await adaText.sync();
    // Presence rides on the text: Boris's cursor reaches Ada.
    borisReader.text.provider.awareness.setLocalStateField('cursor', { anchor: 1, head: 2 });
    adaText.queryAwareness();
    await waitUntil(() => adaText.awareness.some((entry) => (entry.state?.user as { name?: string } | undefined)?.name === 'Boris'), "Boris's presence on Ada's text socket");
    own.queryAwareness();
    await waitUntil(() => own.frames.length > 1, 'an answer on her own layer');
    const bytes = own.frames.map((frame) => Buffer.from(frame).toString('latin1')).join('');
    expect(bytes).not.toContain(borisClaim);
    expect(bytes).not.toContain('Boris');
    expect(annotationIds(own.doc)).toEqual([]);

    // The owner opens Boris's layer (read-only) and sees his claims; writing there is refused.
    const ownerView = await raw(roundLayerName(room, round.id, boris.userId), owner.token);
    await ownerView.sync();
    expect(annotationIds(ownerView.doc)).toHaveLength(2);
    ownerView.change((doc) => doc.getMap('annotations').delete(borisClaim));
    await ownerView.deniedAtLeast(1);
    expect(ownerView.denied[0]).toMatch(/only its reader writes/);
  });

  it('reveals: one merge into the shared layer, layers closed (4409) and read-only, annotators back on the shared layer', async () => {
    const room = 'blind-reveal';
    const { owner, students } = await classroom(room);
    const round = await startRound(server.url, room, owner.token);
    const [ada, boris, chen] = await Promise.all(students.map((s) => join(room, round.id, s)));
    const ids = [ada!.tag(SENTENCES[0], 'sourced'), boris!.tag(SENTENCES[0], 'contested'), chen!.tag(SENTENCES[0], 'sourced'), chen!.tag(SENTENCES[1], 'interpretive')];
    await Promise.all([ada!.layer.stored(), boris!.layer.stored(), chen!.layer.stored()]);
    const watcher = connectClient({ url: server.url, room, kind: 'annotations', token: owner.token });
    await watcher.synced();
    expect(annotationIds(watcher.ydoc)).toEqual([]);

    const revealed = await callApi(server.url, `/api/rooms/${room}/rounds/${round.id}/reveal`, owner.token, 'POST');
    expect(revealed.status).toBe(200);
    expect(revealed.body).toMatchObject({ round: { state: 'revealed', revealed: 4 }, merged: 4 });
    await waitUntil(() => annotationIds(watcher.ydoc).length === 4, 'the merged annotations on the shared layer');
    expect(annotationIds(watcher.ydoc)).toEqual([...ids].sort());
    expect((await ada!.layer.closed()).code).toBe(ROUND_CHANGED_CLOSE);

    // The layer is read-only now; the shared layer is open to annotators again.
    const late = await raw(roundLayerName(room, round.id, students[0]!.userId), students[0]!.token);
    await late.sync();
    late.change((doc) => doc.getMap('annotations').delete(ids[0]!));
    expect((await late.deniedAtLeast(1))[0]).toMatch(/revealed/);
    const back = await raw(`${room}/annotations`, students[0]!.token);
    await back.sync();
    expect(annotationIds(back.doc)).toHaveLength(4);
    // Revealing again merges nothing more.
    const again = await callApi(server.url, `/api/rooms/${room}/rounds/${round.id}/reveal`, owner.token, 'POST');
    expect(again.body).toMatchObject({ merged: 0, revealed: 4 });
    watcher.destroy();
  });

  it("gives the round's alpha equal to the one computed from the exported records", async () => {
    const room = 'blind-alpha';
    const { invites, owner, students } = await classroom(room);
    const round = await startRound(server.url, room, owner.token);
    const [ada, boris, chen] = await Promise.all(students.map((s) => join(room, round.id, s)));
    ada!.tag(SENTENCES[0], 'sourced');
    boris!.tag(SENTENCES[0], 'contested');
    chen!.tag(SENTENCES[0], 'sourced');
    ada!.tag(SENTENCES[1], 'interpretive');
    boris!.tag(SENTENCES[1], 'interpretive');
    await Promise.all([ada!.layer.stored(), boris!.layer.stored(), chen!.layer.stored()]);
    // During the round only the owner reads the round's report; reviewers wait for the reveal.
    const reviewer = await namedSession(server.url, room, invites.reviewer, 'Rev');
    expect((await callApi(server.url, `/api/rooms/${room}/overview?layer=round-${round.id}&format=report`, reviewer.token)).status).toBe(403);
    const during = await callApi(server.url, `/api/rooms/${room}/overview?layer=round-${round.id}&format=report`, owner.token);
    expect(during.status).toBe(200);

    expect((await callApi(server.url, `/api/rooms/${room}/rounds/${round.id}/reveal`, owner.token, 'POST')).status).toBe(200);
    const report = (await callApi(server.url, `/api/rooms/${room}/overview?layer=round-${round.id}&format=report`, owner.token)).body;
    const exported = (await callApi(server.url, `/api/rooms/${room}/export?format=native`, owner.token)).body as NativeExport;
    const records: ReadAnnotation[] = exported.annotations.map(({ replies, resolved, ...annotation }) => ({ annotation, replies, start: resolved.start, end: resolved.end }));
    const names = new Map(exported.annotations.map((a) => [a.authorId, a.authorName]));
    const fromExport = agreementReport({ projection: exported.chapter, claims: overviewClaims(records), names });

    expect(fromExport.chapter.computable).toBe(true);
    expect(report.agreement.chapter).toEqual(fromExport.chapter);
    expect(during.body.agreement.chapter).toEqual(fromExport.chapter);
    expect(report.agreement.disagreements[0].said.map((s: { name: string; status: string }) => `${s.name}:${s.status}`)).toEqual(['Ada:sourced', 'Boris:contested', 'Chen:sourced']);
    expect(report.people.map((p: { name: string; claims: number }) => [p.name, p.claims])).toEqual([['Ada', 2], ['Boris', 2], ['Chen', 1]]);
  });

  it('ends a round without revealing: its annotations stay private, the shared layer unchanged', async () => {
    const room = 'blind-end';
    const { owner, students } = await classroom(room);
    const round = await startRound(server.url, room, owner.token);
    const ada = await join(room, round.id, students[0]!);
    const claim = ada.tag(SENTENCES[0], 'sourced');
    await ada.layer.stored();
    const ended = await callApi(server.url, `/api/rooms/${room}/rounds/${round.id}/end`, owner.token, 'POST');
    expect(ended.body.round.state).toBe('ended');
    expect((await ada.layer.closed()).code).toBe(ROUND_CHANGED_CLOSE);
    expect((await callApi(server.url, `/api/rooms/${room}/rounds/${round.id}/reveal`, owner.token, 'POST')).status).toBe(409);

    const shared = await raw(`${room}/annotations`, students[1]!.token);
    await shared.sync();
    expect(annotationIds(shared.doc)).toEqual([]);
    const peek = await raw(roundLayerName(room, round.id, students[0]!.userId), students[1]!.token);
    expect((await peek.ended).code).toBe(4403);
    const hers = await raw(roundLayerName(room, round.id, students[0]!.userId), students[0]!.token);
    await hers.sync();
    expect(annotationIds(hers.doc)).toEqual([claim]);
  });

  it('refuses a second round while one runs, and round control to everyone but the owner', async () => {
    const room = 'blind-control';
    const { invites, owner, students } = await classroom(room);
    await startRound(server.url, room, owner.token);
    expect((await callApi(server.url, `/api/rooms/${room}/rounds`, owner.token, 'POST', {})).status).toBe(409);
    expect((await callApi(server.url, `/api/rooms/${room}/rounds`, students[0]!.token, 'POST', {})).status).toBe(403);
    expect((await callApi(server.url, `/api/rooms/${room}/rounds`, invites.reviewer, 'POST', {})).status).toBe(403);
    expect((await callApi(server.url, `/api/rooms/${room}/rounds`, owner.token, 'POST', { showStaff: 'yes' })).status).toBe(400);
    const view = await callApi(server.url, `/api/rooms/${room}/round`, students[0]!.token);
    expect(view.body.you).toMatchObject({ layer: roundLayerName(room, view.body.round.id, students[0]!.userId), writable: true, sharedHidden: true });
    expect(view.body.participants).toEqual([]);
  });

  it("shows the owner's and reviewers' layers to everyone when the owner chooses, read-only", async () => {
    const room = 'blind-staff';
    const { invites, owner, students } = await classroom(room);
    const round = await startRound(server.url, room, owner.token, true);
    const reviewer = await namedSession(server.url, room, invites.reviewer, 'Rev');
    const lee = await join(room, round.id, owner);
    const rev = await join(room, round.id, reviewer);
    const ada = await join(room, round.id, students[0]!);
    lee.tag(SENTENCES[0], 'sourced');
    rev.tag(SENTENCES[1], 'contested');
    ada.tag(SENTENCES[1], 'sourced');
    await Promise.all([lee.layer.stored(), rev.layer.stored(), ada.layer.stored()]);
    const view = await callApi(server.url, `/api/rooms/${room}/round`, students[1]!.token);
    expect(view.body.you.layers.map((l: { userId: string }) => l.userId).sort()).toEqual([students[1]!.userId, owner.userId, reviewer.userId].sort());
    const staff = await raw(roundLayerName(room, round.id, reviewer.userId), students[1]!.token);
    await staff.sync();
    expect(annotationIds(staff.doc)).toHaveLength(1);
    const student = await raw(roundLayerName(room, round.id, students[0]!.userId), students[1]!.token);
    expect((await student.ended).code).toBe(4403);
  });
});
