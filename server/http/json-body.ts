import type { IncomingMessage } from 'node:http';
import { jsonBytesNestDeeperThan, MAX_CLIENT_JSON_DEPTH, tooDeepMessage } from '../limits/json-depth.ts';

/** A body's bytes, or the HTTP status and message that explain why they were not read. */
export type BodyBytesResult = { ok: true; bytes: Buffer } | { ok: false; status: number; error: string };

/** A parsed JSON object body, or the HTTP status and message that explain why not. */
export type JsonBodyResult = { ok: true; value: Record<string, unknown> } | { ok: false; status: number; error: string };

/** The media types of a JSON body, unless a route accepts more (imports take JSON-LD too). */
const JSON_TYPES: readonly string[] = ['application/json'];

/**
 * Reads a request body of at most `limit` bytes, whose Content-Type is one of `mediaTypes` (JSON
 * types also keep cross-site forms out: they cannot send them without a preflight). Returns 415
 * or 413 results instead of throwing; stops reading once over the limit.
 */
export async function readBodyBytes(request: IncomingMessage, limit: number, mediaTypes: readonly string[] = JSON_TYPES): Promise<BodyBytesResult> {
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
  return { ok: true, bytes: Buffer.concat(chunks) };
}

/**
 * Parses JSON bytes as an object, refusing (400) text nested deeper than MAX_CLIENT_JSON_DEPTH
 * before it is parsed (issue 14, P3), invalid JSON and anything but an object.
 */
export function parseJsonObject(bytes: Uint8Array): JsonBodyResult {
  if (jsonBytesNestDeeperThan(bytes, MAX_CLIENT_JSON_DEPTH)) return { ok: false, status: 400, error: tooDeepMessage('the body') };
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'));
  } catch (error) {
    return { ok: false, status: 400, error: `invalid JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, status: 400, error: 'body must be a JSON object' };
  return { ok: true, value: value as Record<string, unknown> };
}

/**
 * Reads a request body as a JSON object of at most `limit` bytes (`Content-Type:
 * application/json`). Returns 415, 413 or 400 results instead of throwing.
 */
export async function readJsonBody(request: IncomingMessage, limit: number): Promise<JsonBodyResult> {
  const body = await readBodyBytes(request, limit);
  return body.ok ? parseJsonObject(body.bytes) : body;
}
