import type { IncomingMessage, ServerResponse } from 'node:http';
import { can, CSV_CONTENT_TYPE, exportCsv, exportNative, exportW3C, W3C_CONTENT_TYPE } from '../../schema/index.ts';
import type { ExportOptions, RoomSnapshot } from '../../schema/index.ts';
import type { HttpContext } from './http-context.ts';
import { holdRoomDocs, snapshotRoom } from './export-import-docs.ts';
import { identifyForRoom } from './request-auth.ts';
import { sendError, setCommonHeaders } from './responses.ts';
import type { Route, RouteRequest } from './router.ts';

/** The export formats, with their content type, file extension and serialiser. */
const FORMATS = {
  native: { type: 'application/json; charset=utf-8', extension: 'json', write: (s: RoomSnapshot, o: ExportOptions) => JSON.stringify(exportNative(s, o)) },
  w3c: { type: W3C_CONTENT_TYPE, extension: 'jsonld', write: (s: RoomSnapshot, o: ExportOptions) => JSON.stringify(exportW3C(s, o)) },
  csv: { type: CSV_CONTENT_TYPE, extension: 'csv', write: (s: RoomSnapshot) => exportCsv(s, { byteOrderMark: true }) },
} as const;

type ExportFormat = keyof typeof FORMATS;

function isExportFormat(value: string): value is ExportFormat {
  return Object.hasOwn(FORMATS, value);
}

/**
 * The origin IRIs are built on: the request's Host when it is a plain host[:port] (it
 * names the address the client used), else the configured listening address.
 */
export function publicBaseUrl(request: IncomingMessage, context: HttpContext): string {
  const host = request.headers.host;
  if (host && /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/.test(host)) return `http://${host}`;
  return `http://${context.config.host}:${context.config.port}`;
}

/**
 * `GET /api/rooms/<room>/export?format=native|w3c|csv` (default native): any role of the
 * room, by Bearer token or session cookie. Sent as an attachment, never cached or sniffed.
 * `HEAD` answers the same checks without building the export (see sendExportHead).
 */
async function handleExport({ request, response, params, query, context }: RouteRequest<HttpContext>): Promise<void> {
  const room = params[0]!;
  const caller = identifyForRoom(request, context.identity, room);
  if (!caller.ok) return sendError(response, caller.status, caller.error);
  if (!can(caller.value.role, 'export')) return sendError(response, 403, `role ${caller.value.role} may not export`);
  const format = query.get('format') ?? 'native';
  if (!isExportFormat(format)) return sendError(response, 400, `unknown export format ${JSON.stringify(format)}: use native, w3c or csv`);
  const record = context.rooms.rooms.get(room);
  if (!record) return sendError(response, 404, `no room "${room}"`);
  if (request.method === 'HEAD') return sendExportHead(response, FORMATS[format].type, `${room}-annotations.${FORMATS[format].extension}`);
  const held = await holdRoomDocs(context.collab, room);
  if (!held.ok) return sendError(response, 503, held.error);
  let body: string;
  let skipped: number;
  try {
    const snapshot = snapshotRoom({ id: room, title: record.title }, held.value.text.ydoc, held.value.annotations.ydoc);
    skipped = snapshot.skipped;
    body = FORMATS[format].write(snapshot, { baseUrl: publicBaseUrl(request, context), exportedAt: new Date().toISOString() });
  } finally {
    held.value.release();
  }
  // Malformed stored entries are left out of exports; say so where an operator will look.
  if (skipped > 0) context.log.warn('room.export-skipped-malformed', { room, skipped });
  context.log.info('room.exported', { room, format, role: caller.value.role, bytes: Buffer.byteLength(body) });
  sendAttachment(request, response, body, FORMATS[format].type, `${room}-annotations.${FORMATS[format].extension}`);
}

function sendAttachment(request: IncomingMessage, response: ServerResponse, body: string, contentType: string, fileName: string): void {
  setCommonHeaders(response);
  response.writeHead(200, {
    'Content-Type': contentType,
    'Content-Disposition': `attachment; filename="${fileName}"`,
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
  });
  response.end(request.method === 'HEAD' ? undefined : body);
}

/**
 * Answers a HEAD of an export: whether this caller may download it, with the attachment's
 * headers but no Content-Length (RFC 9110 §9.3.2 allows leaving it out), so that the room's
 * documents are neither loaded nor serialised. The client probes the export menu this way when
 * a room opens; a GET built the whole export for it (~280 ms of the server's only thread at
 * 5,000 annotations), and the annotation document's sync waited behind it (bench:
 * browser-open-5000).
 */
function sendExportHead(response: ServerResponse, contentType: string, fileName: string): void {
  setCommonHeaders(response);
  response.writeHead(200, { 'Content-Type': contentType, 'Content-Disposition': `attachment; filename="${fileName}"`, 'Cache-Control': 'no-store' });
  response.end();
}

/** Routes of the export API. */
export const exportRoutes: readonly Route<HttpContext>[] = [{ method: 'GET', pattern: /^\/api\/rooms\/([a-z0-9-]{1,64})\/export$/, handle: handleExport }];
