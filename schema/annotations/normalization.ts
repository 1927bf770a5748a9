import type { Annotation, ValidationResult } from './model.ts';
import { validateAnnotationFields } from './validation.ts';
import type { ValidationContext } from './validation.ts';

/**
 * Reading a record that concurrent writes left inconsistent (schema/README.md, the annotation
 * document). Fields merge one by one, last writer wins per field, so two replicas that each
 * wrote a consistent annotation can merge into one whose fields do not fit together: A turns a
 * claim into a problem (clearing `claimStatus`) while B sets `claimStatus: 'contested'`, and
 * the merge is a problem with a claim status. Such a record must not vanish from readers, and
 * every replica must read it the same way, so it is read through `normalizeAnnotation`: a pure
 * function of the stored fields, applied by `readAnnotation`, the exporters and the server's
 * update check alike. Operations write what they read, so the next change to the annotation
 * stores the normalised form.
 *
 * The rules, in the order they apply:
 *
 * 1. The status stamps (`statusBy`, `statusByName`, `statusAt`) count only together: if any
 *    of them is null, all three read null.
 * 2. An `applied` record counts only with stamps (applying always stamps). An annotation with
 *    an `applied` record reads as an applied problem: `status: 'applied'` and
 *    `kind: 'problem'`, whatever a concurrent status or kind change wrote — the correction is
 *    already in the text, and `applied.original` is the only record of what it replaced.
 * 3. `status: 'applied'` without an `applied` record reads `resolved`.
 * 4. Fields that do not belong to the kind read null: `claimStatus` unless a claim,
 *    `problemType` and `correction` unless a problem.
 * 5. A claim without a claim status reads `interpretive` (it asserts neither support by the
 *    sources nor a dispute); a problem without a problem type reads `other`.
 * 6. `rejected` on an annotation that is not a problem reads `resolved` (the reviewer closed
 *    it; the stamps still say who); any status other than `open` without stamps reads `open`.
 */

/**
 * Returns the consistent annotation a record whose every field is well-formed
 * (`validateAnnotationFields`) reads as, by the rules above. A consistent record comes back
 * equal (as a copy); the result always passes `validateAnnotation` (without a footnote context).
 */
export function normalizeAnnotation(fields: Annotation): Annotation {
  const a: Annotation = { ...fields };
  // Rule 1: a status change always writes all three stamps.
  if (a.statusBy === null || a.statusByName === null || a.statusAt === null) {
    a.statusBy = null;
    a.statusByName = null;
    a.statusAt = null;
  }
  const stamped = a.statusBy !== null;
  // Rules 2 and 3: an applied correction outranks concurrent kind and status changes.
  if (a.applied !== null && !stamped) a.applied = null;
  if (a.applied !== null) {
    a.kind = 'problem';
    a.status = 'applied';
  } else if (a.status === 'applied') a.status = 'resolved';
  // Rules 4 and 5: the kind decides which classification fields it carries.
  a.claimStatus = a.kind === 'claim' ? (a.claimStatus ?? 'interpretive') : null;
  if (a.kind === 'problem') a.problemType ??= 'other';
  else {
    a.problemType = null;
    a.correction = null;
  }
  // Rule 6: a status the kind or the stamps cannot carry.
  if (a.status === 'rejected' && a.kind !== 'problem') a.status = 'resolved';
  if (a.status !== 'open' && !stamped) a.status = 'open';
  return a;
}

/**
 * Reads a stored annotation record: validates each field on its own (strictly: a malformed
 * value is still refused), then normalises how the fields fit together. Returns the consistent
 * annotation, or every problem with the fields.
 */
export function readAnnotationRecord(value: unknown, context: ValidationContext = {}): ValidationResult<Annotation> {
  const fields = validateAnnotationFields(value, context);
  return fields.ok ? { ok: true, value: normalizeAnnotation(fields.value) } : fields;
}
