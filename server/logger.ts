/** Severity of a log entry. */
export type LogLevel = 'info' | 'warn' | 'error';

/** One structured log entry: an event name (`room.load-failed`) and its fields. */
export interface LogEntry {
  level: LogLevel;
  event: string;
  fields: Record<string, unknown>;
}

/** Where the server reports what happened. Tests pass a collecting logger to assert on events. */
export interface Logger {
  info(event: string, fields?: Record<string, unknown>): void;
  warn(event: string, fields?: Record<string, unknown>): void;
  error(event: string, fields?: Record<string, unknown>): void;
}

// How many causes deep an error is followed (a cause chain can loop).
const MAX_CAUSES = 8;

/**
 * An error as text: its stack (which starts with its name and message), then each error of its
 * `cause` chain as `caused by: …`, so a log shows where a failure came from, not only what it said.
 */
export function describeError(error: Error): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && depth <= MAX_CAUSES; depth++) {
    const text = current instanceof Error ? (current.stack ?? `${current.name}: ${current.message}`) : String(current);
    parts.push(depth === 0 ? text : `caused by: ${text}`);
    current = current instanceof Error ? current.cause : undefined;
  }
  if (current !== undefined) parts.push('caused by: … (chain cut)');
  return parts.join('\n');
}

/** Formats a field value for a one-line log: errors with stack and causes, other values as JSON (newlines escaped). */
function formatValue(value: unknown): string {
  if (value instanceof Error) return JSON.stringify(describeError(value));
  if (typeof value === 'string') return /^[\w./:@-]*$/.test(value) ? value : JSON.stringify(value);
  return JSON.stringify(value) ?? String(value);
}

/** Returns a logger that writes `level event key=value ...` lines through `write` (stderr by default). */
export function createConsoleLogger(write: (line: string) => void = (line) => process.stderr.write(line + '\n')): Logger {
  const log = (level: LogLevel, event: string, fields: Record<string, unknown> = {}) => {
    const parts = Object.entries(fields).map(([key, value]) => `${key}=${formatValue(value)}`);
    write([new Date().toISOString(), level.toUpperCase(), event, ...parts].join(' '));
  };
  return {
    info: (event, fields) => log('info', event, fields),
    warn: (event, fields) => log('warn', event, fields),
    error: (event, fields) => log('error', event, fields),
  };
}

/** A logger that keeps its entries in memory (tests read `entries`), optionally echoing them. */
export interface CollectingLogger extends Logger {
  readonly entries: LogEntry[];
}

/** Returns a logger that records every entry in `entries` and forwards it to `echo` if given. */
export function createCollectingLogger(echo?: Logger): CollectingLogger {
  const entries: LogEntry[] = [];
  const record = (level: LogLevel) => (event: string, fields: Record<string, unknown> = {}) => {
    entries.push({ level, event, fields });
    echo?.[level](event, fields);
  };
  return { entries, info: record('info'), warn: record('warn'), error: record('error') };
}
