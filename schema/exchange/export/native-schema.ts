import { ANNOTATION_FIELDS, ANNOTATION_ID_PATTERN, ANNOTATION_LAYOUT_VERSION, LIMITS, REPLY_FIELDS, REPLY_ID_PATTERN } from '../../annotations/model.ts';
import { ANNOTATION_KINDS, ANNOTATION_STATUSES, CLAIM_STATUSES, PROBLEM_TYPES, RELATION_TYPES } from '../../annotations/vocabulary.ts';

/** The `format` value of a native annotated JSON document. */
export const NATIVE_FORMAT = 'apparatus-annotated-json';
/** The version of the native format this code writes and reads. */
export const NATIVE_VERSION = 1;
/** The `$id` of the native format's JSON Schema, written as `$schema` in every export. */
export const NATIVE_SCHEMA_ID = 'https://w3id.org/apparatus/schema/annotated-json-1.json';

// ISO 8601 / RFC 3339 date-time, as the model writes it (Date#toISOString) and accepts.
const ISO_DATE_TIME = '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:\\d{2})$';
const terms = (group: readonly { term: string }[]): string[] => group.map((t) => t.term);
const nullable = (schema: object): object => ({ anyOf: [schema, { type: 'null' }] });
const offset = { type: 'integer', minimum: 0 };
const dateTime = { type: 'string', pattern: ISO_DATE_TIME };
const yId = { type: 'object', required: ['client', 'clock'], additionalProperties: false, properties: { client: offset, clock: offset } };

/**
 * The JSON Schema (draft-07) of native annotated JSON, version 1. It mirrors the annotation
 * model field by field (enums from the vocabulary, length limits from the model); what a
 * schema cannot say (footnotes that exist, ranges inside the text, kind/status consistency)
 * the importer checks with the model's own validation.
 */
export const NATIVE_EXPORT_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: NATIVE_SCHEMA_ID,
  title: 'Apparatus annotated JSON, version 1',
  type: 'object',
  required: ['$schema', 'format', 'version', 'generator', 'exported', 'room', 'chapter', 'annotations', 'dismissed'],
  additionalProperties: false,
  properties: {
    $schema: { const: NATIVE_SCHEMA_ID },
    format: { const: NATIVE_FORMAT },
    version: { const: NATIVE_VERSION },
    generator: { type: 'object', required: ['name'], properties: { id: { type: 'string' }, type: { type: 'string' }, name: { type: 'string' } } },
    exported: dateTime,
    room: {
      type: 'object',
      required: ['id', 'title'],
      additionalProperties: false,
      properties: { id: { type: 'string', pattern: '^[a-z0-9-]{1,64}$' }, title: { type: 'string', maxLength: 1000 } },
    },
    chapter: { $ref: '#/definitions/chapter' },
    annotations: { type: 'array', items: { $ref: '#/definitions/annotation' } },
    dismissed: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'by', 'at'],
        additionalProperties: false,
        properties: { id: { type: 'string', minLength: 1, maxLength: LIMITS.findingId }, by: { type: 'string', maxLength: LIMITS.userId }, at: dateTime },
      },
    },
  },
  definitions: {
    chapter: {
      type: 'object',
      required: ['doc', 'text', 'textSha256', 'offsetUnit', 'blocks'],
      additionalProperties: false,
      properties: {
        doc: { allOf: [{ $ref: '#/definitions/pmNode' }, { properties: { type: { const: 'doc' } } }] },
        text: { type: 'string' },
        textSha256: { type: 'string', pattern: '^[0-9a-f]{64}$' },
        offsetUnit: { const: 'utf-16' },
        blocks: { type: 'array', items: { $ref: '#/definitions/block' } },
      },
    },
    pmNode: {
      type: 'object',
      required: ['type'],
      additionalProperties: false,
      properties: {
        type: { enum: ['doc', 'heading', 'paragraph', 'footnote', 'text', 'footnote_ref', 'page_break'] },
        attrs: { type: 'object', additionalProperties: { type: ['string', 'number', 'null'] } },
        content: { type: 'array', items: { $ref: '#/definitions/pmNode' } },
        text: { type: 'string', minLength: 1 },
        marks: { type: 'array', items: { type: 'object', required: ['type'], properties: { type: { const: 'em' }, attrs: { type: 'object' } }, additionalProperties: false } },
      },
    },
    block: {
      type: 'object',
      required: ['id', 'type', 'n', 'start', 'end'],
      additionalProperties: false,
      properties: {
        id: nullable({ type: 'string', maxLength: LIMITS.blockId }),
        type: { enum: ['heading', 'paragraph', 'footnote'] },
        n: nullable({ type: 'integer' }),
        start: offset,
        end: offset,
      },
    },
    annotation: {
      type: 'object',
      required: [...ANNOTATION_FIELDS, 'replies', 'resolved'],
      additionalProperties: false,
      properties: {
        id: { type: 'string', pattern: ANNOTATION_ID_PATTERN.source },
        kind: { enum: terms(ANNOTATION_KINDS) },
        claimStatus: { enum: [...terms(CLAIM_STATUSES), null] },
        problemType: { enum: [...terms(PROBLEM_TYPES), null] },
        footnotes: { type: 'array', uniqueItems: true, maxItems: LIMITS.footnotes, items: { type: 'integer', minimum: 1 } },
        note: { type: 'string', maxLength: LIMITS.note },
        correction: nullable({ type: 'string', maxLength: LIMITS.correction }),
        status: { enum: terms(ANNOTATION_STATUSES) },
        statusBy: nullable({ type: 'string', maxLength: LIMITS.userId }),
        statusByName: nullable({ type: 'string', maxLength: LIMITS.name }),
        statusAt: nullable(dateTime),
        authorId: { type: 'string', minLength: 1, maxLength: LIMITS.userId },
        authorName: { type: 'string', maxLength: LIMITS.name },
        created: dateTime,
        modified: dateTime,
        related: {
          type: 'array',
          maxItems: LIMITS.related,
          items: {
            type: 'object',
            required: ['id', 'relation'],
            additionalProperties: false,
            properties: { id: { type: 'string', pattern: ANNOTATION_ID_PATTERN.source }, relation: { enum: terms(RELATION_TYPES) } },
          },
        },
        anchor: { $ref: '#/definitions/anchor' },
        provenance: nullable({
          type: 'object',
          required: ['source'],
          maxProperties: LIMITS.provenanceKeys,
          properties: { source: { enum: ['import', 'assistant'] } },
          additionalProperties: { anyOf: [{ type: 'string', maxLength: LIMITS.provenanceValue }, { type: ['number', 'boolean', 'null'] }] },
        }),
        applied: nullable({
          type: 'object',
          required: ['original', 'by', 'at'],
          additionalProperties: false,
          properties: { original: { type: 'string', maxLength: LIMITS.quote }, by: { type: 'string', maxLength: LIMITS.userId }, at: dateTime },
        }),
        v: { const: ANNOTATION_LAYOUT_VERSION },
        replies: { type: 'array', items: { $ref: '#/definitions/reply' } },
        resolved: {
          type: 'object',
          required: ['state', 'start', 'end'],
          additionalProperties: false,
          properties: { state: { enum: ['anchored', 'relocated', 'degraded', 'orphaned'] }, start: nullable(offset), end: nullable(offset) },
        },
      },
    },
    anchor: {
      type: 'object',
      required: ['start', 'end', 'quote', 'position', 'blockId', 'occurrences'],
      additionalProperties: false,
      properties: {
        start: { $ref: '#/definitions/relativePosition' },
        end: { $ref: '#/definitions/relativePosition' },
        quote: {
          type: 'object',
          required: ['exact', 'prefix', 'suffix'],
          additionalProperties: false,
          properties: {
            exact: { type: 'string', minLength: 1, maxLength: LIMITS.quote },
            prefix: { type: 'string', maxLength: LIMITS.quoteContext },
            suffix: { type: 'string', maxLength: LIMITS.quoteContext },
          },
        },
        position: { type: 'object', required: ['start', 'end'], additionalProperties: false, properties: { start: offset, end: offset } },
        blockId: nullable({ type: 'string', maxLength: LIMITS.blockId }),
        occurrences: offset,
      },
    },
    relativePosition: {
      type: 'object',
      additionalProperties: false,
      properties: { type: yId, tname: { type: 'string' }, item: yId, assoc: { type: 'integer' } },
    },
    reply: {
      type: 'object',
      required: [...REPLY_FIELDS],
      additionalProperties: false,
      properties: {
        id: { type: 'string', pattern: REPLY_ID_PATTERN.source },
        annotationId: { type: 'string', pattern: ANNOTATION_ID_PATTERN.source },
        authorId: { type: 'string', minLength: 1, maxLength: LIMITS.userId },
        authorName: { type: 'string', maxLength: LIMITS.name },
        body: { type: 'string', minLength: 1, maxLength: LIMITS.replyBody },
        created: dateTime,
        modified: dateTime,
      },
    },
  },
} as const;
