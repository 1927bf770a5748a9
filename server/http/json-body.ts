import type { IncomingMessage } from 'node:http';

/** A body read as text, or the HTTP status and message that explain why not. */
export type BodyTextResult = { ok: true; text: string } | { ok: false; status: number; error: string };

/** A parsed JSON object body, or the HTTP status and message that explain why not. */
export type JsonBodyResult = { ok: true; value: Record<string, unknown> } | { ok: false; status: number; error: string };

/** The media types of a JSON body, unless a route accepts more (imports take JSON-LD too). */
const JSON_TYPES: readonly string[] = ['application/json'];

/**
 * Reads a request body as UTF-8 text of at most `limit` bytes, whose Content-Type is one of
 * `mediaTypes` (JSON types also keep cross-site forms out: they cannot send them without a
 * preflight). Returns 415 or 413 results instead of throwing; stops reading once over the limit.
 */
export async function readBodyText(request: IncomingMessage, limit: number, mediaTypes: readonly string[] = JSON_TYPES): Promise<BodyTextResult> {
  const type = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (!mediaTypes.includes(type)) return { ok: false, status: 415, error: `Content-Type must be ${mediaTypes.join(' or ')}` };
  const tooLarge = { ok: false as const, status: 413, error: `body larger than the limit of ${limit} bytes` };
  if (Number(request.headers['content-length'] ?? NaN) > limit) return tooLarge;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.byteLength;
    if (size > limit) return tooLarge;
    chunks.push(chunk);
  }
  return { ok: true, text: Buffer.concat(chunks).toString('utf8') };
}

/**
 * Reads a request body as a JSON object of at most `limit` bytes (`Content-Type:
 * application/json`). Returns 415, 413 or 400 results instead of throwing.
 */
export async function readJsonBody(request: IncomingMessage, limit: number): Promise<JsonBodyResult> {
  const body = await readBodyText(request, limit);
  if (!body.ok) return body;
  let value: unknown;
  try {
    value = JSON.parse(body.text);
  } catch (error) {
    return { ok: false, status: 400, error: `invalid JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, status: 400, error: 'body must be a JSON object' };
  return { ok: true, value: value as Record<string, unknown> };
}
