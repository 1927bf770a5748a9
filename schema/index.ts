// The public surface of schema/: pure code shared by client/, server/, CLIs and tests.
// Explicit export lists only (no `export *`), grouped by concern.

// --- chapter model ---
export { chapterSchema, chapterFromJSON } from './chapter/chapter-schema.ts';
export { BLOCK_SEPARATOR, blockText, projectChapter } from './chapter/text-projection.ts';
export type { ProjectedBlock, TextProjection } from './chapter/text-projection.ts';
export { readChapterLayout } from './chapter/chapter-layout.ts';
export type { ChapterLayout, LayoutBlock, LayoutInline } from './chapter/chapter-layout.ts';
export { pageLocator } from './chapter/page-numbers.ts';
export type { PageLocator } from './chapter/page-numbers.ts';

// --- roles ---
export { ROLES, can, isRole, canEditAnnotation, canSetStatus } from './room/roles.ts';
export type { Role, Action } from './room/roles.ts';
export { INVITE_ID_LENGTH, summarizeStoredInvite } from './room/invite-summary.ts';
export type { InviteSummary, StoredInviteFields } from './room/invite-summary.ts';
export { PRESENCE_PALETTE, DISTINCT_PRESENCE_SLOTS, presenceLook, PresenceSlots } from './room/presence-palette.ts';
export type { PresenceLook } from './room/presence-palette.ts';

// --- chapter importer ---
export { importChapter } from './chapter/importer.ts';
export type { ImportOptions, ImportResult } from './chapter/importer.ts';
export { importMarkdownChapter } from './chapter/markdown-reader.ts';
export { previewOf, UPLOAD_FORMATS } from './chapter/chapter-preview.ts';
export type { ChapterPreview, UploadFormat } from './chapter/chapter-preview.ts';
export { buildStructuredChapter } from './chapter/structured-chapter.ts';
export type { SourceBlock, SourceInline, SourceNote, StructuredSource } from './chapter/structured-chapter.ts';
export { formatFinding, importFinding } from './chapter/import-report.ts';
export type { ImportFinding, ImportFindingCode, ImportReport, ImportStats } from './chapter/import-report.ts';
export type {
  ChapterJSON, ChapterBlockJSON, ChapterInlineJSON, HeadingJSON, ParagraphJSON, FootnoteJSON, TextJSON,
  FootnoteRefJSON, PageBreakJSON, EmMarkJSON
} from './chapter/chapter-json.ts';
export { superscriptToNumber, numberToSuperscript, findSuperscriptRuns } from './chapter/footnote-markers.ts';
export type { SuperscriptRun } from './chapter/footnote-markers.ts';

// --- annotations: model, vocabulary, Yjs layout, anchoring ---
export {
  VOCABULARY_NAMESPACE, ANNOTATION_KINDS, CLAIM_STATUSES, PROBLEM_TYPES, ANNOTATION_STATUSES, RELATION_TYPES,
  vocabularyTerms, termOf, termByIri, iriOf, labelOf, isTermOf, isAnnotationKind, isClaimStatus,
  isProblemType, isAnnotationStatus, isRelationType
} from './annotations/vocabulary.ts';
export type { VocabularyGroup, VocabularyTerm, AnnotationKind, ClaimStatus, ProblemType, AnnotationStatus, RelationType } from './annotations/vocabulary.ts';
export {
  ANNOTATION_LAYOUT_VERSION, LIMITS, ANNOTATION_ID_PATTERN, REPLY_ID_PATTERN, ANNOTATION_FIELDS,
  REPLY_FIELDS, FIXED_ANNOTATION_FIELDS, FIXED_REPLY_FIELDS, newAnnotationId, newReplyId
} from './annotations/model.ts';
export type {
  Annotation, Reply, Anchor, QuoteSelector, PositionSelector, RelativePositionJSON, YIdJSON, RelatedLink,
  Provenance, ProvenanceSource, AppliedCorrection, Dismissal, Actor, ValidationResult
} from './annotations/model.ts';
export {
  validateAnnotation, validateAnnotationFields, validateReply, validateDismissal, anchorErrors,
  relativePositionErrors, actorErrors, isIsoTime, isPlainObject
} from './annotations/validation.ts';
export type { ValidationContext } from './annotations/validation.ts';
export {
  ANNOTATION_DOC_MAPS, annotationsMap, repliesMap, dismissedMap, annotationToYMap, replyToYMap, writeFields,
  ANNOTATION_STATUS_FIELDS, touchedEntryKeys, byCreatedThenId, readAnnotation, readAnnotationById,
  listAnnotations, listInvalidAnnotations, readReply, listReplies, listDismissed, writeAnnotationRecord,
  storedFieldsOf, readStoredAnnotation, storedAuthorId
} from './annotations/layout.ts';
export {
  ANNOTATION_STORE_LAYOUT, STORED_V2_KEYS, isLayoutOneRecord, fieldsOfStoredKeys, encodeSpan, decodeSpan,
  decodeStoredAnnotation, encodeAnnotation, upgradeWrites
} from './annotations/stored-layout.ts';
export { LayoutUpgradeOrigin, needsLayoutUpgrade, recordsToUpgrade, upgradeAnnotationRecords } from './annotations/layout-migration.ts';
export type { YAnnotation, YReply } from './annotations/layout.ts';
export { normalizeAnnotation, readAnnotationRecord } from './annotations/normalization.ts';
export { ANNOTATION_OPERATIONS, AnnotationOrigin } from './annotations/origin.ts';
export type { AnnotationOperation } from './annotations/origin.ts';
export type { OperationContext } from './annotations/operation-context.ts';
export {
  createAnnotation, updateAnnotation, linkFootnote, unlinkFootnote, setAnnotationStatus, resolveAnnotation,
  reopenAnnotation, acceptProblem, rejectProblem, relateAnnotation, unrelateAnnotation, reanchorAnnotation,
  deleteAnnotation
} from './annotations/operations.ts';
export type { NewAnnotation, AnnotationChanges } from './annotations/operations.ts';
export { addReply, editReply, deleteReply, dismissSuggestion, restoreSuggestion } from './annotations/reply-operations.ts';
export type { NewReply } from './annotations/reply-operations.ts';
export { applyCorrection } from './anchoring/apply-correction.ts';
export { TEXT_FRAGMENT_NAME, projectYFragment, projectYDoc, yTextContent, measureYBlock, liveBlocks } from './chapter/y-text-projection.ts';
export type { BlockMeasure } from './chapter/y-text-projection.ts';
export { BlockTable } from './anchoring/block-table.ts';
export type { BlockPoint, Bias } from './anchoring/block-table.ts';
export {
  relativePositionAt, pmPositionToRelativePosition, relativePositionToPmPosition, resolveRelativePosition,
  yTypeIndexAt, relativePositionJSON
} from './anchoring/positions.ts';
export type { PointResolution, YTypeIndex } from './anchoring/positions.ts';
export { createAnchor, createAnchorFromPmRange, createAnchorFromTextRange } from './anchoring/create-anchor.ts';
export type { AnchorResult, PmRange, TextRange } from './anchoring/create-anchor.ts';
export { ANCHOR_CONTEXT_LENGTH, quoteAt, occurrencesOf, relocateQuote } from './anchoring/quote.ts';
export { placeAnchor, resolutionOf, resolveAnchor, resolveAnchors } from './anchoring/resolve.ts';
export type { AnchorState, AnchorPlacement, AnchorResolution } from './anchoring/resolve.ts';
export { AnchorIndex } from './anchoring/anchor-index.ts';
export type { AnchorIndexChange, AnchorIndexListener } from './anchoring/anchor-index.ts';
export {
  anchorsRestoredByUndo, anchorsForRelocated, reanchorRestoredAnnotations, reanchorRelocatedAnnotations
} from './anchoring/reanchor.ts';

// --- collaboration protocol (message types shared by client and server) ---
export {
  MESSAGE_SYNC, MESSAGE_AWARENESS, MESSAGE_AUTH, MESSAGE_QUERY_AWARENESS, MESSAGE_STORED, MESSAGE_NOTICE, COLLAB_CLOSE,
  encodeStoredMessage, readStoredMessage, encodeNoticeMessage, readNoticeMessage, stateVectorCovers, isEmptyStateVector
} from './room/collab-protocol.ts';
export type { StateVector, NoticeLevel } from './room/collab-protocol.ts';
export { ROOM_ID_PATTERN, isRoomId, isDocKind } from './room/room-names.ts';
export type { DocKind } from './room/room-names.ts';

// --- export / import ---
export { readRoomSnapshot } from './exchange/export/snapshot.ts';
export type { RoomSnapshot, RoomSnapshotSource, SnapshotAnnotation, ResolvedRange, DismissedEntry, ExportOptions } from './exchange/export/snapshot.ts';
export { attributeToPeople, snapshotAuthorIds } from './exchange/export/linked-authors.ts';
export type { PeopleMap } from './exchange/export/linked-authors.ts';
export { exportNative } from './exchange/export/native.ts';
export type { NativeExport, NativeAnnotation, NativeBlock } from './exchange/export/native.ts';
export { NATIVE_EXPORT_SCHEMA, NATIVE_FORMAT, NATIVE_VERSION, NATIVE_SCHEMA_ID } from './exchange/export/native-schema.ts';
export { exportW3C, exportW3CItem, ANNO_CONTEXT, APPARATUS_CONTEXT, W3C_CONTENT_TYPE, GENERATOR } from './exchange/export/w3c.ts';
export type { W3CAnnotation, W3CCollection, W3CResource } from './exchange/export/w3c.ts';
export { exportCsv, exportReplyCsv, footnoteCell, CSV_COLUMNS, REPLY_CSV_COLUMNS, CSV_CONTENT_TYPE } from './exchange/export/csv.ts';
export { exportCsvZip, CSV_ZIP_ENTRIES, ZIP_CONTENT_TYPE } from './exchange/export/csv-zip.ts';
export { exportTei, TEI_CONTENT_TYPE, TEI_NAMESPACE } from './exchange/export/tei/tei.ts';
export { EXPORT_FORMATS, exportFormat, exportFormatNames } from './exchange/export/formats.ts';
export type { ExportFormat, FormatBuildOptions, ExportBody, ExportGroup } from './exchange/export/formats.ts';
export type { CsvExportOptions } from './exchange/export/csv.ts';
export { formatCsv, neutraliseFormula, quoteCsvField } from './exchange/export/csv-format.ts';
export { codePointIndex } from './exchange/export/code-points.ts';
export type { CodePointIndex } from './exchange/export/code-points.ts';
export { roomIris, localIdFromIri } from './exchange/export/iris.ts';
export { roomPeople } from './exchange/export/people.ts';
export type { RoomPerson, PersonRole } from './exchange/export/people.ts';
export type { RoomIris } from './exchange/export/iris.ts';
export { quoteSelectorAt, positionSelectorAt } from './exchange/export/selectors.ts';
export type { TextQuoteSelector, TextPositionSelector } from './exchange/export/selectors.ts';
export { sha256Hex } from './exchange/sha256.ts';
export { EXPORT_OPTION_NAMES, DEFAULT_EXPORT_CHOICES, parseExportChoices, choicesQuery } from './exchange/export/export-choices.ts';
export type { ExportOptionName, ExportChoices, ChoosableFormat } from './exchange/export/export-choices.ts';
export { DEFAULT_SELECTION, isClosed, selectAnnotations } from './exchange/export/export-selection.ts';
export type { ExportSelection } from './exchange/export/export-selection.ts';
export { exportDocx } from './exchange/export/docx/docx-export.ts';
export type { DocxExportOptions } from './exchange/export/docx/docx-export.ts';
export { exportPlainText } from './exchange/export/plain-text.ts';
export type { PlainTextOptions } from './exchange/export/plain-text.ts';
export { errataOf, exportErrataCsv, exportErrataMarkdown, ERRATA_CSV_COLUMNS } from './exchange/export/errata.ts';
export type { Erratum, ErratumStatus, ErratumAction } from './exchange/export/errata.ts';
export { buildPrintModel, apparatusLabel, markCategory } from './exchange/export/print/apparatus-model.ts';
export type { PrintModel, PrintSection, ApparatusEntry, MarkCategory } from './exchange/export/print/apparatus-model.ts';
export { renderPrintArticle, exportPrintHtml, escapeHtml } from './exchange/export/print/print-html.ts';
export type { PrintHeader, PrintExportOptions } from './exchange/export/print/print-html.ts';
export { PRINT_STYLESHEET } from './exchange/export/print/print-styles.ts';
export { parseImport } from './exchange/import/parse.ts';
export type { ImportParseResult, NativeSchemaValidator, SchemaProblem } from './exchange/import/parse.ts';
export { importParseContext, importParseContextOfDoc } from './exchange/import/native.ts';
export type { ImportParseContext } from './exchange/import/native.ts';
export { DEFAULT_IMPORT_LIMITS, parseImportJson, findForbiddenKey, utf8Length } from './exchange/import/limits.ts';
export type { ImportLimits, ImportFileError, ImportFileErrorCode } from './exchange/import/limits.ts';
export type { ImportPlan, ImportItem, ImportReply, ImportRefusal, ImportFormat, ImportOrigin } from './exchange/import/plan.ts';
export { anchorImport } from './exchange/import/anchor.ts';
export type { ImportSelectors, ImportAnchor, ImportAnchorResult } from './exchange/import/anchor.ts';
export { applyImport } from './exchange/import/apply.ts';
export type { ApplyImportOptions, AnnotationImportReport } from './exchange/import/apply.ts';
export { importProvenance } from './exchange/import/provenance.ts';

// --- analysis (source-criticism assistants) ---
export { analyzeChapter } from './analysis/analyze-chapter.ts';
export type { AnalysisOptions } from './analysis/analyze-chapter.ts';
export { FINDING_TYPES } from './analysis/finding.ts';
export type {
  AnalysisResult, Finding, FindingDetails, FindingQuote, FindingSeverity, FindingSuggestion, FindingType,
  IbidResolution, SpellingVariant
} from './analysis/finding.ts';
export { stableHash } from './analysis/finding-id.ts';
export { romanisationKey, looksRomanised } from './analysis/romanisation.ts';
export { parseFootnoteCitations, describeCitation } from './analysis/footnote-citations.ts';
export type { Citation, CitationField } from './analysis/footnote-citations.ts';
export { readChapter } from './analysis/chapter-reading.ts';
export type { ChapterReading, ReadingBlock, FootnoteMarker } from './analysis/chapter-reading.ts';
export { krippendorffAlpha, unitDisagreement, describeUndefinedAlpha } from './analysis/agreement/krippendorff-alpha.ts';
export type { AlphaResult, AlphaUndefinedReason } from './analysis/agreement/krippendorff-alpha.ts';
export { chapterSentences, sentenceUnits } from './analysis/agreement/sentence-units.ts';
export type { ChapterText, ClaimPlacement, SentenceSpan, SentenceUnit } from './analysis/agreement/sentence-units.ts';
export { agreementReport } from './analysis/agreement/agreement-report.ts';
export type { AgreementReport, AgreementInput, AgreementOptions, ParagraphAgreement, SentenceDisagreement, PairCoverage, Reader, ReaderCoverage } from './analysis/agreement/agreement-report.ts';
export { withinRange } from './analysis/participation/chapter-activity.ts';
export type { ChapterActivity, ReadAnnotation, DateRange } from './analysis/participation/chapter-activity.ts';
export { participationRows, combinePeople, sortPeople, isPersonSortKey, emptyPersonRow, PERSON_COUNTS } from './analysis/participation/participation.ts';
export type { PersonRow, PersonCount, PersonSortKey } from './analysis/participation/participation.ts';
export { chapterHeat, openingWords, HEAT_TAGS } from './analysis/participation/paragraph-heat.ts';
export type { ChapterHeat, BlockHeat, HeatTag } from './analysis/participation/paragraph-heat.ts';
export { chapterOverview, overviewClaims } from './analysis/participation/chapter-overview.ts';
export type { ChapterOverview, OverviewOptions } from './analysis/participation/chapter-overview.ts';
export { gradebookCsv, gradebookJson, GRADEBOOK_COLUMNS, GRADEBOOK_CSV_TYPE } from './exchange/export/gradebook.ts';
export type { GradebookJson } from './exchange/export/gradebook.ts';
export { ROUND_CHANGED_CLOSE, LAYER_USER_PATTERN, roundIsBlind, roundLayerName, parseRoundLayer } from './room/blind-rounds.ts';
export type { RoundState, RoundSummary, RoundParticipant } from './room/blind-rounds.ts';
export { seminarOverview } from './analysis/participation/seminar-overview.ts';
export type { SeminarOverview, SeminarChapterLine, SeminarAgreement, SeminarDisagreement, SeminarOverviewOptions } from './analysis/participation/seminar-overview.ts';
