import type { IncomingMessage } from 'node:http';

/** A parsed JSON object body, or the HTTP status and message that explain why not. */
export type JsonBodyResult = { ok: true; value: Record<string, unknown> } | { ok: false; status: number; error: string };

/**
 * Reads a request body as a JSON object of at most `limit` bytes. Requires
 * `Content-Type: application/json` (a cross-site form cannot send it without a preflight).
 * Returns 415, 413 or 400 results instead of throwing; stops reading once over the limit.
 */
export async function readJsonBody(request: IncomingMessage, limit: number): Promise<JsonBodyResult> {
  const type = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json') return { ok: false, status: 415, error: 'Content-Type must be application/json' };
  const declared = Number(request.headers['content-length'] ?? NaN);
  if (declared > limit) return { ok: false, status: 413, error: `body larger than ${limit} bytes` };
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.byteLength;
    if (size > limit) return { ok: false, status: 413, error: `body larger than ${limit} bytes` };
    chunks.push(chunk);
  }
  let value: unknown;
  try {
    value = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch (error) {
    return { ok: false, status: 400, error: `invalid JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, status: 400, error: 'body must be a JSON object' };
  return { ok: true, value: value as Record<string, unknown> };
}
