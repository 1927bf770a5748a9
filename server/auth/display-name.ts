/** The longest display name accepted, in characters (code points). */
export const MAX_DISPLAY_NAME_LENGTH = 60;

// Control characters, and the bidi overrides/isolates that make a name render as something else.
const forbiddenCharacters = /[\p{Cc}\u202A-\u202E\u2066-\u2069\u2028\u2029]/u;

/**
 * Validates a display name from an untrusted request: a string, trimmed, 1–60 characters,
 * without control or bidirectional-override characters. Returns the trimmed name or a message.
 */
export function validateDisplayName(value: unknown): { ok: true; value: string } | { ok: false; error: string } {
  if (typeof value !== 'string') return { ok: false, error: 'name must be a string' };
  const name = value.trim();
  const length = [...name].length;
  if (length < 1 || length > MAX_DISPLAY_NAME_LENGTH) {
    return { ok: false, error: `name must be 1 to ${MAX_DISPLAY_NAME_LENGTH} characters after trimming, got ${length}` };
  }
  if (forbiddenCharacters.test(name)) return { ok: false, error: 'name must not contain control or bidirectional-override characters' };
  return { ok: true, value: name };
}
