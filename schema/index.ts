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
export { importChapter } from './chapter-importer.ts';
export type { ImportOptions, ImportResult } from './chapter-importer.ts';
export { formatFinding } from './chapter-import-report.ts';
export type { ImportFinding, ImportFindingCode, ImportReport, ImportStats } from './chapter-import-report.ts';
export type {
  ChapterJSON,
  ChapterBlockJSON,
  ChapterInlineJSON,
  HeadingJSON,
  ParagraphJSON,
  FootnoteJSON,
  TextJSON,
  FootnoteRefJSON,
  PageBreakJSON,
  EmMarkJSON,
} from './chapter-json.ts';
export { superscriptToNumber, numberToSuperscript, findSuperscriptRuns } from './footnote-markers.ts';
export type { SuperscriptRun } from './footnote-markers.ts';

// --- annotations: model, vocabulary, Yjs layout, anchoring ---
export {
  VOCABULARY_NAMESPACE,
  ANNOTATION_KINDS,
  CLAIM_STATUSES,
  PROBLEM_TYPES,
  ANNOTATION_STATUSES,
  RELATION_TYPES,
  vocabularyTerms,
  termOf,
  termByIri,
  iriOf,
  labelOf,
  isTermOf,
  isAnnotationKind,
  isClaimStatus,
  isProblemType,
  isAnnotationStatus,
  isRelationType,
} from './vocabulary.ts';
export type { VocabularyGroup, VocabularyTerm, AnnotationKind, ClaimStatus, ProblemType, AnnotationStatus, RelationType } from './vocabulary.ts';
export {
  ANNOTATION_LAYOUT_VERSION,
  LIMITS,
  ANNOTATION_ID_PATTERN,
  REPLY_ID_PATTERN,
  ANNOTATION_FIELDS,
  REPLY_FIELDS,
  newAnnotationId,
  newReplyId,
} from './annotation-model.ts';
export type {
  Annotation,
  Reply,
  Anchor,
  QuoteSelector,
  PositionSelector,
  RelativePositionJSON,
  YIdJSON,
  RelatedLink,
  Provenance,
  ProvenanceSource,
  AppliedCorrection,
  Dismissal,
  Actor,
  ValidationResult,
} from './annotation-model.ts';
export {
  validateAnnotation,
  validateAnnotationFields,
  validateReply,
  validateDismissal,
  anchorErrors,
  relativePositionErrors,
  actorErrors,
  isIsoTime,
  isPlainObject,
} from './annotation-validation.ts';
export type { ValidationContext } from './annotation-validation.ts';
export {
  ANNOTATION_DOC_MAPS,
  annotationsMap,
  repliesMap,
  dismissedMap,
  annotationToYMap,
  replyToYMap,
  writeFields,
  ANNOTATION_STATUS_FIELDS,
  readAnnotation,
  readAnnotationById,
  listAnnotations,
  listInvalidAnnotations,
  readReply,
  listReplies,
  listDismissed,
} from './annotation-layout.ts';
export type { YAnnotation, YReply } from './annotation-layout.ts';
export { normalizeAnnotation, readAnnotationRecord } from './annotation-normalization.ts';
export { ANNOTATION_OPERATIONS, AnnotationOrigin, isAnnotationOrigin } from './annotation-origin.ts';
export type { AnnotationOperation } from './annotation-origin.ts';
export type { OperationContext } from './annotation-operation-context.ts';
export {
  createAnnotation,
  updateAnnotation,
  linkFootnote,
  unlinkFootnote,
  setAnnotationStatus,
  resolveAnnotation,
  reopenAnnotation,
  acceptProblem,
  rejectProblem,
  relateAnnotation,
  unrelateAnnotation,
  reanchorAnnotation,
  deleteAnnotation,
} from './annotation-operations.ts';
export type { NewAnnotation, AnnotationChanges } from './annotation-operations.ts';
export { addReply, editReply, deleteReply, dismissSuggestion } from './annotation-reply-operations.ts';
export type { NewReply } from './annotation-reply-operations.ts';
export { applyCorrection } from './annotation-apply-correction.ts';
export { TEXT_FRAGMENT_NAME, projectYFragment, projectYDoc, yTextContent, measureYBlock, liveBlocks } from './y-text-projection.ts';
export type { BlockMeasure } from './y-text-projection.ts';
export { BlockTable } from './anchor-block-table.ts';
export type { BlockPoint, Bias } from './anchor-block-table.ts';
export {
  relativePositionAt,
  pmPositionToRelativePosition,
  relativePositionToPmPosition,
  resolveRelativePosition,
  yTypeIndexAt,
  relativePositionJSON,
} from './anchor-positions.ts';
export type { PointResolution, YTypeIndex } from './anchor-positions.ts';
export { createAnchor, createAnchorFromPmRange, createAnchorFromTextRange } from './anchor-create.ts';
export type { AnchorResult, PmRange, TextRange } from './anchor-create.ts';
export { ANCHOR_CONTEXT_LENGTH, quoteAt, occurrencesOf, relocateQuote } from './anchor-quote.ts';
export { ANCHOR_STATES, placeAnchor, resolutionOf, resolveAnchor, resolveAnchors } from './anchor-resolve.ts';
export type { AnchorState, AnchorPlacement, AnchorResolution } from './anchor-resolve.ts';
export { AnchorIndex } from './anchor-index.ts';
export type { AnchorIndexChange, AnchorIndexListener } from './anchor-index.ts';
export {
  anchorsRestoredByUndo,
  anchorsForRelocated,
  reanchorRestoredAnnotations,
  reanchorRelocatedAnnotations,
} from './anchor-reanchor.ts';

// --- collaboration protocol (message types shared by client and server) ---
export {
  MESSAGE_SYNC,
  MESSAGE_AWARENESS,
  MESSAGE_AUTH,
  MESSAGE_QUERY_AWARENESS,
  MESSAGE_STORED,
  COLLAB_CLOSE,
  encodeStoredMessage,
  readStoredMessage,
  stateVectorCovers,
} from './collab-protocol.ts';
export type { CollabMessageType } from './collab-protocol.ts';

// --- export / import ---
export { readRoomSnapshot } from './export-snapshot.ts';
export type { RoomSnapshot, RoomSnapshotSource, SnapshotAnnotation, ResolvedRange, DismissedEntry, ExportOptions } from './export-snapshot.ts';
export { exportNative } from './export-native.ts';
export type { NativeExport, NativeAnnotation, NativeBlock } from './export-native.ts';
export { NATIVE_EXPORT_SCHEMA, NATIVE_FORMAT, NATIVE_VERSION, NATIVE_SCHEMA_ID } from './export-native-schema.ts';
export { exportW3C, ANNO_CONTEXT, APPARATUS_CONTEXT, W3C_CONTENT_TYPE, GENERATOR } from './export-w3c.ts';
export type { W3CAnnotation, W3CCollection, W3CResource } from './export-w3c.ts';
export { exportCsv, CSV_COLUMNS, CSV_CONTENT_TYPE } from './export-csv.ts';
export type { CsvExportOptions } from './export-csv.ts';
export { formatCsv, neutraliseFormula, quoteCsvField } from './export-csv-format.ts';
export { codePointIndex } from './export-code-points.ts';
export type { CodePointIndex } from './export-code-points.ts';
export { roomIris, localIdFromIri } from './export-iris.ts';
export type { RoomIris } from './export-iris.ts';
export { quoteSelectorAt, positionSelectorAt, QUOTE_CONTEXT_LENGTH } from './export-selectors.ts';
export type { TextQuoteSelector, TextPositionSelector } from './export-selectors.ts';
export { sha256Hex } from './sha256.ts';
export { parseImport } from './import-parse.ts';
export type { ImportParseResult, NativeSchemaValidator, SchemaProblem } from './import-parse.ts';
export { importParseContext, importParseContextOfDoc } from './import-native.ts';
export type { ImportParseContext } from './import-native.ts';
export { DEFAULT_IMPORT_LIMITS, parseImportJson, findForbiddenKey, utf8Length } from './import-limits.ts';
export type { ImportLimits, ImportFileError, ImportFileErrorCode } from './import-limits.ts';
export type { ImportPlan, ImportItem, ImportReply, ImportRefusal, ImportFormat, ImportOrigin } from './import-plan.ts';
export { anchorImport } from './import-anchor.ts';
export type { ImportSelectors, ImportAnchor, ImportAnchorResult } from './import-anchor.ts';
export { applyImport } from './import-apply.ts';
export type { ApplyImportOptions, AnnotationImportReport } from './import-apply.ts';
export { importProvenance } from './import-provenance.ts';

// --- analysis (source-criticism assistants) ---
export { analyzeChapter } from './analysis/analyze-chapter.ts';
export type { AnalysisOptions } from './analysis/analyze-chapter.ts';
export { FINDING_TYPES } from './analysis/finding.ts';
export type {
  AnalysisResult,
  Finding,
  FindingDetails,
  FindingQuote,
  FindingSeverity,
  FindingSuggestion,
  FindingType,
  IbidResolution,
  SpellingVariant,
} from './analysis/finding.ts';
export { stableHash } from './analysis/finding-id.ts';
export { romanisationKey, looksRomanised } from './analysis/romanisation.ts';
export { parseFootnoteCitations, describeCitation } from './analysis/footnote-citations.ts';
export type { Citation, CitationField } from './analysis/footnote-citations.ts';
export { readChapter } from './analysis/chapter-reading.ts';
export type { ChapterReading, ReadingBlock, FootnoteMarker } from './analysis/chapter-reading.ts';
