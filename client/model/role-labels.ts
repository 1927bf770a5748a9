import type { Role } from '../../schema/index.ts';

/** How each role is named on screen (chips, selects, the header). */
export const ROLE_LABELS: Readonly<Record<Role, string>> = { owner: 'Owner', reviewer: 'Reviewer', annotator: 'Annotator', viewer: 'Viewer' };
