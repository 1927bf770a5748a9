import { timingSafeEqual } from 'node:crypto';
import { entryChecksum, snapshotDigest } from './entry-checksum.ts';
import type { StoredDoc } from './update-store.ts';

/**
 * Verifies what was read for one document against what the server wrote (issue 14, P5): the
 * snapshot's digest, every entry's checksum (over document, seq and bytes), and that the seqs run
 * without a gap from the snapshot to the head record (quarantined entries count as present).
 * A flipped byte, a deleted row, a lost tail or an entry moved from elsewhere is damage: the
 * caller never serves such a document as if it were whole.
 */

/** What verification found. */
export interface IntegrityReport {
  /** Each problem found, in words an operator can act on; empty when the stored state is whole. */
  damage: string[];
  /** Whether the snapshot's bytes are not those written (nothing after it can be trusted to load). */
  snapshotCorrupt: boolean;
  /** Indexes into `stored.updates` of entries whose bytes fail their checksum: never applied. */
  corruptEntries: Set<number>;
}

function same(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && timingSafeEqual(a, b);
}

/** Describes the seqs in `[from, to]` missing from `present`, as ranges. */
function missingRanges(present: ReadonlySet<number>, from: number, to: number): string[] {
  const ranges: string[] = [];
  for (let seq = from; seq <= to; seq++) {
    if (present.has(seq)) continue;
    let end = seq;
    while (end + 1 <= to && !present.has(end + 1)) end++;
    ranges.push(seq === end ? `${seq}` : `${seq}–${end}`);
    seq = end;
  }
  return ranges;
}

/** Verifies a stored document read by `UpdateStore.loadDoc`. Pure apart from hashing. */
export function verifyStoredDoc(docName: string, stored: StoredDoc): IntegrityReport {
  const report: IntegrityReport = { damage: [], snapshotCorrupt: false, corruptEntries: new Set() };
  if (stored.snapshotUnreadable !== undefined) {
    // Compressed bytes that do not decompress are as corrupt as bytes that fail their digest.
    report.snapshotCorrupt = true;
    report.damage.push(stored.snapshotUnreadable);
  } else if (stored.snapshot !== null && stored.snapshotDigest !== null && !same(snapshotDigest(stored.snapshot), stored.snapshotDigest)) {
    report.snapshotCorrupt = true;
    report.damage.push('the snapshot’s bytes do not match its checksum');
  }
  const present = new Set<number>(stored.quarantinedSeqs);
  stored.updates.forEach((bytes, index) => {
    const seq = stored.seqs[index];
    const checksum = stored.checksums[index];
    if (seq === null || seq === undefined) return;
    present.add(seq);
    if (checksum && !same(entryChecksum(docName, seq, bytes), checksum)) {
      report.corruptEntries.add(index);
      report.damage.push(`log entry ${seq}: its bytes do not match its checksum`);
    }
  });
  const lastPresent = Math.max(stored.snapshotThroughSeq, ...present);
  if (stored.head === null) {
    if (present.size > 0) report.damage.push('the log has entries but no head record');
    return report;
  }
  if (lastPresent > stored.head) report.damage.push(`the log has entries past its head record (${stored.head})`);
  const missing = missingRanges(present, stored.snapshotThroughSeq + 1, stored.head);
  if (missing.length > 0) report.damage.push(`log entries ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', …' : ''} are missing (the head record says ${stored.head} were written)`);
  return report;
}
