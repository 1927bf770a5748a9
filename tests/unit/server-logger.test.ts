import { describe, expect, it } from 'vitest';
import { createConsoleLogger } from '../../server/logger.ts';

function logLine(fields: Record<string, unknown>): string {
  const lines: string[] = [];
  createConsoleLogger((line) => lines.push(line)).error('test.failed', fields);
  expect(lines).toHaveLength(1);
  return lines[0]!;
}

describe('console logger', () => {
  it('logs an error with its stack, on one line', () => {
    const line = logLine({ error: new Error('disk full') });
    expect(line).toContain('error="Error: disk full\\n    at ');
    expect(line).toContain('server-logger.test.ts');
    expect(line).not.toContain('\n');
  });

  it('follows the cause chain of an error', () => {
    const root = new RangeError('SQLITE_IOERR');
    const line = logLine({ error: new Error('commit failed', { cause: new Error('append failed', { cause: root }) }) });
    expect(line).toMatch(/Error: commit failed.*caused by: Error: append failed.*caused by: RangeError: SQLITE_IOERR/);
  });

  it('stops at a cause chain that loops', () => {
    const a = new Error('a');
    const b = new Error('b', { cause: a });
    a.cause = b;
    expect(logLine({ error: a })).toContain('caused by: … (chain cut)');
  });

  it('logs a non-error cause as text', () => {
    expect(logLine({ error: new Error('refused', { cause: 'quota' }) })).toContain('caused by: quota');
  });
});
