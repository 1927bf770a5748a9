/**
 * The role table (docs/security.md, "Roles"), in one place. The server enforces it on every update and
 * request; the client uses the same table only to hide what a user may not do.
 */
export type Role = 'owner' | 'reviewer' | 'annotator' | 'viewer';

/** Every role, most to least powerful. */
export const ROLES: readonly Role[] = ['owner', 'reviewer', 'annotator', 'viewer'];

/** What a user may try to do. "own" variants apply to annotations or replies the user wrote. */
export type Action =
  | 'read'
  | 'export'
  | 'annotate'
  | 'reply'
  | 'edit-own'
  | 'edit-others'
  | 'set-status-own'
  | 'set-status-others'
  | 'edit-text'
  | 'apply-correction'
  | 'import'
  | 'manage-invites'
  | 'view-overview'
  | 'lead-rounds';

const table: Record<Action, readonly Role[]> = {
  read: ['owner', 'reviewer', 'annotator', 'viewer'],
  export: ['owner', 'reviewer', 'annotator', 'viewer'],
  annotate: ['owner', 'reviewer', 'annotator'],
  reply: ['owner', 'reviewer', 'annotator'],
  'edit-own': ['owner', 'reviewer', 'annotator'],
  'edit-others': ['owner'],
  // Resolve / reopen threads, accept / reject problems: reviewers on anyone's, annotators on their own.
  'set-status-own': ['owner', 'reviewer', 'annotator'],
  'set-status-others': ['owner', 'reviewer'],
  'edit-text': ['owner'],
  'apply-correction': ['owner'],
  import: ['owner'],
  'manage-invites': ['owner'],
  // The seminar leader's view (docs/seminar-view.md): who did what, agreement, blind rounds.
  'view-overview': ['owner', 'reviewer'],
  'lead-rounds': ['owner'],
};

/** Returns whether `role` may perform `action`. */
export function can(role: Role, action: Action): boolean {
  return table[action].includes(role);
}

/** Returns whether a string names a role. */
export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** Whether `role` may edit or delete an annotation or reply, given whether the user wrote it. */
export function canEditAnnotation(role: Role, own: boolean): boolean {
  return can(role, own ? 'edit-own' : 'edit-others');
}

/** Whether `role` may change the status (resolve, reopen, accept, reject) of an annotation. */
export function canSetStatus(role: Role, own: boolean): boolean {
  return can(role, own ? 'set-status-own' : 'set-status-others');
}
