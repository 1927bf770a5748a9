import type { ServerResponse } from 'node:http';
import { EXPORT_FORMATS, exportFormat, exportFormatNames, parseExportChoices } from '../../schema/index.ts';
import type { ExportFormat, ExportOptionName } from '../../schema/index.ts';
import type { ExportOutcome } from '../heavy/heavy-jobs.ts';
import { authorizeExport } from './export-access.ts';
import { reportReadProblems, sendHeavyFailure } from './heavy-responses.ts';
import type { HttpContext } from './http-context.ts';
import { exportBaseUrl } from './public-url.ts';
import { sendError, sendJson, setCommonHeaders } from './responses.ts';
import type { Route, RouteRequest } from './router.ts';

const ROOM = '([a-z0-9-]{1,64})';

/** The download address of an export. */
function exportHref(room: string, format: ExportFormat): string {
  return `/api/rooms/${room}/export?format=${encodeURIComponent(format.name)}`;
}

/**
 * `GET /api/rooms/<room>/exports`: the formats this caller may download, in table order, each with
 * its label, hint, menu group, media type, file name, download address and the options it takes.
 * The export menu reads it (so it offers exactly what the server has); answered from the access
 * checks alone, cheap enough to ask while a room opens.
 */
async function handleListExports({ request, response, params, context }: RouteRequest<HttpContext>): Promise<void> {
  const room = params[0]!;
  const access = await authorizeExport(request, context, room);
  if (!access.ok) return sendError(response, access.status, access.error);
  const formats = EXPORT_FORMATS.map((format) => ({
    name: format.name,
    label: format.label,
    hint: format.hint,
    group: format.group,
    options: format.options,
    mediaType: format.mediaType,
    fileName: `${room}-${format.fileName}`,
    href: exportHref(room, format),
  }));
  sendJson(response, 200, { room, formats });
}

/**
 * `GET /api/rooms/<room>/export?format=<name>[&kinds=…&include-resolved=…&pages=…]` (default
 * native; names and the options each takes in EXPORT_FORMATS, docs/exports-word-text-print.md):
 * any role of the room, by Bearer token or session cookie. IRIs are built on PUBLIC_URL, else on
 * the origin the request was sent to. Built in a worker thread from the store, as the server
 * verifies a load: a damaged room (P5) is refused unless `partial=1`. Sent as an attachment,
 * never cached, sniffed or run. `HEAD` answers the same checks without building the export
 * (see sendExportHead).
 */
async function handleExport({ request, response, params, query, context }: RouteRequest<HttpContext>): Promise<void> {
  const room = params[0]!;
  const access = await authorizeExport(request, context, room);
  if (!access.ok) return sendError(response, access.status, access.error);
  const name = query.get('format') ?? 'native';
  const format = exportFormat(name);
  if (!format) return sendError(response, 400, `unknown export format ${JSON.stringify(name)}: use one of ${exportFormatNames()}`);
  const choices = parseExportChoices(format, (option: ExportOptionName) => query.get(option));
  if (!choices.ok) return sendError(response, 400, choices.error);
  const baseUrl = exportBaseUrl(request, context);
  if (baseUrl === null) return sendError(response, 400, 'cannot tell the address exported IRIs should use: send a Host header or set PUBLIC_URL');
  const fileName = `${room}-${format.fileName}`;
  if (request.method === 'HEAD') return sendExportHead(response, format.mediaType, fileName);
  // Built in a worker thread from the store (issue 14, P4): a large room's export holds no one up.
  let outcome: ExportOutcome;
  try {
    outcome = await context.heavy.runExport(access.caller.userId, { store: context.store.location, room, title: access.title, format: format.name, choices: choices.value, baseUrl, exportedAt: new Date().toISOString() });
  } catch (error) {
    return sendHeavyFailure(response, error, context);
  }
  await reportReadProblems(outcome.problems, context);
  if (outcome.kind === 'unreadable') return sendError(response, 503, outcome.message);
  const damage = outcome.problems.flatMap((problem) => problem.damage);
  // A damaged room is never exported as if whole (P5): only on request, and saying so.
  if (damage.length > 0 && !['1', 'true'].includes(query.get('partial') ?? '')) {
    return sendError(response, 503, `room "${room}" is damaged in the store (${damage.slice(0, 2).join('; ')}); add partial=1 to export what could be read`);
  }
  // Malformed stored entries are left out of exports; say so where an operator will look.
  if (outcome.skipped > 0) context.log.warn('room.export-skipped-malformed', { room, skipped: outcome.skipped });
  const body = Buffer.from(outcome.body.buffer, outcome.body.byteOffset, outcome.body.byteLength);
  context.log.info('room.exported', { room, format: format.name, role: access.caller.role, bytes: body.byteLength, partial: damage.length > 0 });
  sendAttachment(response, body, format.mediaType, fileName, damage.length > 0 ? { 'Apparatus-Integrity': 'partial' } : {});
}

/**
 * The policy of every export: a download, but should a browser render one (the printable page
 * is HTML), it runs no script, loads nothing and is sandboxed; only its own inline styles apply.
 */
const EXPORT_CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; sandbox";

function sendAttachment(response: ServerResponse, body: Buffer, contentType: string, fileName: string, headers: Record<string, string> = {}): void {
  setCommonHeaders(response);
  response.writeHead(200, {
    'Content-Security-Policy': EXPORT_CONTENT_SECURITY_POLICY,
    'Content-Type': contentType,
    'Content-Disposition': `attachment; filename="${fileName}"`,
    'Content-Length': body.byteLength,
    'Cache-Control': 'no-store',
    ...headers,
  });
  response.end(body);
}

/**
 * Answers a HEAD of an export: whether this caller may download it, with the attachment's
 * headers but no Content-Length (RFC 9110 §9.3.2 allows leaving it out), so that the room's
 * documents are neither loaded nor serialised.
 */
function sendExportHead(response: ServerResponse, contentType: string, fileName: string): void {
  setCommonHeaders(response);
  response.writeHead(200, { 'Content-Type': contentType, 'Content-Disposition': `attachment; filename="${fileName}"`, 'Cache-Control': 'no-store' });
  response.end();
}

/** Routes of the export API. */
export const exportRoutes: readonly Route<HttpContext>[] = [
  { method: 'GET', pattern: new RegExp(`^/api/rooms/${ROOM}/export$`), handle: handleExport },
  { method: 'GET', pattern: new RegExp(`^/api/rooms/${ROOM}/exports$`), handle: handleListExports },
];
