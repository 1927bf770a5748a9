/**
 * A deep copy of a plain JSON value. Values are copied in and out of the Yjs layout: a local
 * Y.Map hands back the very object that was set, and a caller mutating it would change the
 * document's view without a transaction.
 */
export function copyJSON<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(copyJSON) as T;
  const copy: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    // A stored "__proto__" key stays an own property (so validation sees and rejects it).
    if (key === '__proto__') Object.defineProperty(copy, key, { value: copyJSON(field), enumerable: true, writable: true, configurable: true });
    else copy[key] = copyJSON(field);
  }
  return copy as T;
}
