// The public surface of schema/: pure code shared by client/, server/, CLIs and tests.
// Explicit export lists only (no `export *`), grouped by concern.

// --- chapter model ---
export { chapterSchema, chapterFromJSON } from './chapter-schema.ts';
export type { ChapterNodeName } from './chapter-schema.ts';
export { BLOCK_SEPARATOR, blockText, projectChapter } from './text-projection.ts';
export type { ProjectedBlock, TextProjection } from './text-projection.ts';

// --- roles ---
export { ROLES, can, isRole, canEditAnnotation, canSetStatus } from './roles.ts';
export type { Role, Action } from './roles.ts';

// --- chapter importer ---

// --- annotations: model, vocabulary, Yjs layout, anchoring ---

// --- collaboration protocol (message types shared by client and server) ---

// --- export / import ---

// --- analysis (source-criticism assistants) ---
