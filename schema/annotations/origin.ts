/**
 * The transaction origin of every write the annotation operations make, to the annotation
 * document and (for an applied correction) the text document. It is a class so that a
 * `Y.UndoManager` can track every annotation write by constructor
 * (`trackedOrigins: new Set([AnnotationOrigin])`) and observers can tell what happened.
 */

/** Every operation that writes annotation data, as named in transaction origins. */
export const ANNOTATION_OPERATIONS = [
  'create',
  'update',
  'link-footnote',
  'unlink-footnote',
  'set-status',
  'relate',
  'unrelate',
  'delete',
  'add-reply',
  'edit-reply',
  'delete-reply',
  'dismiss-suggestion',
  'restore-suggestion',
  'reanchor',
  'apply-correction',
] as const;

/** The name of one annotation operation. */
export type AnnotationOperation = (typeof ANNOTATION_OPERATIONS)[number];

/** The origin of a transaction made by an annotation operation: which operation, for whom. */
export class AnnotationOrigin {
  readonly operation: AnnotationOperation;
  readonly userId: string;

  /** Records the operation and the acting user's id. */
  constructor(operation: AnnotationOperation, userId: string) {
    if (!(ANNOTATION_OPERATIONS as readonly string[]).includes(operation)) throw new RangeError(`unknown annotation operation ${JSON.stringify(operation)}`);
    this.operation = operation;
    this.userId = userId;
  }
}
