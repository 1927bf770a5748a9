import type { ServerResponse } from 'node:http';
import { can, chapterOverview, gradebookCsv, gradebookJson, GRADEBOOK_CSV_TYPE, isPersonSortKey, roundIsBlind, seminarOverview, sortPeople } from '../../schema/index.ts';
import type { ChapterActivity, DateRange, PersonSortKey } from '../../schema/index.ts';
import { readLayerActivity } from '../rounds/layer-activity.ts';
import type { CountedLayer } from '../rounds/layer-activity.ts';
import type { HttpContext } from './http-context.ts';
import { identifyForRoom } from './request-auth.ts';
import { identifyPerson } from './request-person.ts';
import { sendError, sendJson, setCommonHeaders } from './responses.ts';
import type { Route, RouteRequest } from './router.ts';

/**
 * `GET /api/rooms/<room>/overview` (owner, reviewer): the seminar leader's view of the chapter,
 * computed on the server from the records the exports read (docs/seminar-view.md).
 *
 * Query: `format` = `csv` (the gradebook, an attachment a spreadsheet opens), `json` (the same
 * rows), or `report` (people, heat strip and agreement); `layer` = `shared` (default) or
 * `round-<id>` (a blind round's layers; only the owner until it is revealed); `since`/`until`
 * (ISO 8601, "since last session"); `sort` (a column) and `direction` (`ascending`/`descending`).
 *
 * `GET /api/seminars/<seminar>/overview` (the seminar's owners and reviewers): the same over
 * every chapter of a seminar (shared layers): the people tables added up, one line per chapter
 * (with its own people table, and whether it is archived), agreement pooled over all their
 * sentences with the most disagreed sentences of any chapter. Same query, without `layer`.
 */

type Query = { range: DateRange; sort: PersonSortKey; direction: 'ascending' | 'descending'; format: 'csv' | 'json' | 'report'; layer: string };

/** Reads and checks the query, or says what is wrong with it. */
function readQuery(query: URLSearchParams): { ok: true; value: Query } | { ok: false; error: string } {
  const range: DateRange = {};
  for (const key of ['since', 'until'] as const) {
    const value = query.get(key);
    if (value === null || value === '') continue;
    if (Number.isNaN(Date.parse(value))) return { ok: false, error: `${key} must be an ISO 8601 time, got ${JSON.stringify(value)}` };
    range[key] = new Date(Date.parse(value)).toISOString();
  }
  const sort = query.get('sort') ?? 'name';
  if (!isPersonSortKey(sort)) return { ok: false, error: `sort must name a column of the people table, got ${JSON.stringify(sort)}` };
  const direction = query.get('direction') ?? 'ascending';
  if (direction !== 'ascending' && direction !== 'descending') return { ok: false, error: 'direction must be ascending or descending' };
  const format = query.get('format') ?? 'json';
  if (format !== 'csv' && format !== 'json' && format !== 'report') return { ok: false, error: 'format must be csv, json or report' };
  const layer = query.get('layer') ?? 'shared';
  if (layer !== 'shared' && !/^round-[1-9][0-9]{0,15}$/.test(layer)) return { ok: false, error: 'layer must be shared or round-<id>' };
  return { ok: true, value: { range, sort, direction, format, layer } };
}

/** The layer to count, if this caller may see it. */
async function countedLayer(context: HttpContext, room: string, layer: string, role: string): Promise<{ ok: true; value: CountedLayer } | { ok: false; status: number; error: string }> {
  if (layer === 'shared') return { ok: true, value: { kind: 'shared' } };
  const round = await context.rounds.get(Number(layer.slice('round-'.length)));
  if (!round || round.room !== room) return { ok: false, status: 404, error: `no ${layer} in this room` };
  if (role !== 'owner' && roundIsBlind(round.state)) return { ok: false, status: 403, error: "a blind round's annotations are the owner's to see until it is revealed" };
  return { ok: true, value: { kind: 'round', round, participants: (await context.rounds.participants(round.id)).map((p) => p.userId) } };
}

function sendDownload(response: ServerResponse, body: string, contentType: string, fileName: string): void {
  const bytes = Buffer.from(body, 'utf8');
  setCommonHeaders(response);
  response.writeHead(200, { 'Content-Type': contentType, 'Content-Disposition': `attachment; filename="${fileName}"`, 'Content-Length': bytes.byteLength, 'Cache-Control': 'no-store' });
  response.end(bytes);
}

async function handleOverview({ request, response, params, query, context }: RouteRequest<HttpContext>): Promise<void> {
  const room = params[0]!;
  const caller = await identifyForRoom(request, context.identity, room);
  if (!caller.ok) return sendError(response, caller.status, caller.error);
  if (!can(caller.value.role, 'view-overview')) return sendError(response, 403, `only the owner and reviewers see the seminar view (you are ${caller.value.role})`);
  const record = await context.rooms.rooms.get(room);
  if (!record) return sendError(response, 404, `no room "${room}"`);
  const parsed = readQuery(query);
  if (!parsed.ok) return sendError(response, 400, parsed.error);
  const { range, sort, direction, format, layer } = parsed.value;
  const counted = await countedLayer(context, room, layer, caller.value.role);
  if (!counted.ok) return sendError(response, counted.status, counted.error);
  const activity = await readLayerActivity(context.collab, { id: room, title: record.title }, counted.value);
  if (!activity.ok) return sendError(response, 503, activity.error);
  const overview = chapterOverview(activity.value, { range });
  const people = sortPeople(overview.people, sort, direction);
  if (format === 'report') return sendJson(response, 200, { layer, ...overview, people });
  if (format === 'csv') return sendDownload(response, gradebookCsv(people, { byteOrderMark: true }), GRADEBOOK_CSV_TYPE, `${room}-${layer}-gradebook.csv`);
  const json = gradebookJson({ chapter: overview.chapter, range: overview.range, layer, exportedAt: new Date().toISOString(), people });
  sendDownload(response, json, 'application/json; charset=utf-8', `${room}-${layer}-gradebook.json`);
}

async function handleSeminarOverview({ request, response, params, query, context }: RouteRequest<HttpContext>): Promise<void> {
  const person = await identifyPerson(request, context);
  if (!person.ok) return sendError(response, person.status, person.error);
  const seminar = await context.stores.seminars.get(params[0]!);
  const role = seminar ? await context.stores.seminars.memberRole(seminar.id, person.value.userId) : null;
  if (!seminar || role === null) return sendError(response, 404, 'No such seminar (or you are not a member of it).');
  if (!can(role, 'view-overview')) return sendError(response, 403, `only the seminar's owners and reviewers see its overview (you are ${role})`);
  const parsed = readQuery(query);
  if (!parsed.ok) return sendError(response, 400, parsed.error);
  const { range, sort, direction, format } = parsed.value;
  const chapters: ChapterActivity[] = [];
  const rooms = await context.stores.rooms.listForSeminar(seminar.id);
  for (const room of rooms) {
    const activity = await readLayerActivity(context.collab, { id: room.id, title: room.title }, { kind: 'shared' });
    if (!activity.ok) return sendError(response, 503, activity.error);
    chapters.push(activity.value);
  }
  const overview = seminarOverview(chapters, range);
  const people = sortPeople(overview.people, sort, direction);
  if (format === 'report') {
    const archived = new Set(rooms.filter((room) => room.archivedAt !== null).map((room) => room.id));
    const lines = overview.chapters.map((line) => ({ ...line, archived: archived.has(line.chapter.id) }));
    return sendJson(response, 200, { seminar: { id: seminar.id, title: seminar.title }, computedAt: new Date().toISOString(), ...overview, chapters: lines, people });
  }
  if (format === 'csv') return sendDownload(response, gradebookCsv(people, { byteOrderMark: true }), GRADEBOOK_CSV_TYPE, `${seminar.id}-gradebook.csv`);
  const json = gradebookJson({ chapter: { id: seminar.id, title: seminar.title }, range: overview.range, layer: 'seminar', exportedAt: new Date().toISOString(), people });
  sendDownload(response, json, 'application/json; charset=utf-8', `${seminar.id}-gradebook.json`);
}

/** Routes of the seminar view. */
export const overviewRoutes: readonly Route<HttpContext>[] = [
  { method: 'GET', pattern: /^\/api\/rooms\/([a-z0-9-]{1,64})\/overview$/, handle: handleOverview },
  { method: 'GET', pattern: /^\/api\/seminars\/([a-z0-9-]{1,64})\/overview$/, handle: handleSeminarOverview },
];
