/**
 * The clock every benchmark process stamps and reads: CLOCK_MONOTONIC through
 * `process.hrtime.bigint()`, in milliseconds. It is one system-wide clock, so a stamp taken in one
 * process can be compared with a reading in another on the same machine (checked at run time by
 * `clockAgreementMs`). `performance.timeOrigin + performance.now()` agrees too, but its origin is
 * taken from the wall clock at process start, which NTP may step.
 */
export function sharedClockMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/**
 * Checks that another process reads the same clock: `readRemote` returns its reading; the
 * reading must fall between ours before and after the round trip. Returns the worst violation
 * in milliseconds over `rounds` (0 when the clocks agree).
 */
export async function clockAgreementMs(readRemote: () => Promise<number>, rounds = 20): Promise<number> {
  let worst = 0;
  for (let i = 0; i < rounds; i++) {
    const before = sharedClockMs();
    const remote = await readRemote();
    const after = sharedClockMs();
    worst = Math.max(worst, before - remote, remote - after);
  }
  return Math.round(worst * 1000) / 1000;
}
