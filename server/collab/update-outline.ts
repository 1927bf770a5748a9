import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import { jsonBytesNestDeeperThan } from '../limits/json-depth.ts';

/**
 * The outline of a Yjs update (v1 encoding): which clocks of which clients it carries and which
 * ranges it deletes, read by walking the encoding without building a struct or parsing any
 * content. Two things need it before `Y.decodeUpdate` may run (issue 14):
 *
 * - a reader's update is judged by its outline alone: either it brings nothing the server lacks
 *   (a stock client's step 2 repeating known deletions) or it is refused; its content is skipped
 *   by length, never decoded;
 * - a writer's update has every JSON string (ContentJSON, embeds, formats) and every `any` value
 *   (ContentAny, subdocument options) checked for nesting depth first: `Y.decodeUpdate` hands
 *   JSON strings to `JSON.parse` and reads `any` values recursively.
 *
 * The walk follows the v1 format as Yjs 13.6 reads it (`readClientsStructRefs`, `readDeleteSet`,
 * the content readers and lib0's `readAny`); anything those would throw on is an error here too.
 */

/** A run of one client's consecutive clocks. */
export interface ClockRange {
  client: number;
  clock: number;
  length: number;
}

/** What an update carries, by clock range. */
export interface UpdateOutline {
  /** One range per client section: the clocks its structs cover (Skip structs included). */
  structs: ClockRange[];
  /** The ranges its delete set deletes. */
  deletes: ClockRange[];
}

/** An outline, or why the bytes are not an update (or nest JSON too deeply). */
export type OutlineResult = { ok: true; value: UpdateOutline } | { ok: false; error: string; tooDeep?: boolean };

/** How to walk: with `maxJsonDepth`, content is checked for nesting; without, only skipped. */
export interface OutlineOptions {
  maxJsonDepth?: number;
}

class TooDeep extends Error {}

// Struct info bits (Yjs binary.BIT8, BIT7, BIT6, BITS5).
const HAS_ORIGIN = 0x80;
const HAS_RIGHT_ORIGIN = 0x40;
const HAS_PARENT_SUB = 0x20;
const CONTENT_REF = 0x1f;
const GC_REF = 0;
const SKIP_REF = 10;
// ContentType refs that carry a node name (YXmlElement, YXmlHook); refs above 6 do not exist.
const XML_ELEMENT = 3;
const XML_HOOK = 5;
const LAST_TYPE_REF = 6;
// Any-value depth when only skipping: the walk is recursive and must stay bounded.
const SKIP_ANY_DEPTH = 1000;

/** The number of UTF-16 code units of a UTF-8 string, which is the length Yjs gives ContentString. */
function utf16Length(bytes: Uint8Array): number {
  let units = 0;
  for (const byte of bytes) {
    if ((byte & 0xc0) !== 0x80) units++;
    // A four-byte sequence is one astral code point: two UTF-16 units.
    if (byte >= 0xf0) units++;
  }
  return units;
}

/** The walk over one update's bytes. */
class OutlineReader {
  readonly #decoder: decoding.Decoder;
  readonly #maxDepth: number | undefined;

  constructor(update: Uint8Array, options: OutlineOptions) {
    this.#decoder = decoding.createDecoder(update);
    this.#maxDepth = options.maxJsonDepth;
  }

  read(): UpdateOutline {
    const structs: ClockRange[] = [];
    for (let sections = decoding.readVarUint(this.#decoder); sections > 0; sections--) {
      const count = decoding.readVarUint(this.#decoder);
      const client = decoding.readVarUint(this.#decoder);
      const clock = decoding.readVarUint(this.#decoder);
      let length = 0;
      for (let i = 0; i < count; i++) length += this.#struct();
      structs.push({ client, clock, length });
    }
    return { structs, deletes: this.#deleteSet() };
  }

  /** Reads one struct; returns the number of clocks it covers. */
  #struct(): number {
    const info = decoding.readUint8(this.#decoder);
    const ref = info & CONTENT_REF;
    if (ref === GC_REF || ref === SKIP_REF) return decoding.readVarUint(this.#decoder);
    if (info & HAS_ORIGIN) this.#id();
    if (info & HAS_RIGHT_ORIGIN) this.#id();
    if ((info & (HAS_ORIGIN | HAS_RIGHT_ORIGIN)) === 0) {
      if (decoding.readVarUint(this.#decoder) === 1) this.#string();
      else this.#id();
      if (info & HAS_PARENT_SUB) this.#string();
    }
    return this.#content(ref);
  }

  #id(): void {
    decoding.readVarUint(this.#decoder);
    decoding.readVarUint(this.#decoder);
  }

  #string(): Uint8Array {
    return decoding.readVarUint8Array(this.#decoder);
  }

  /** A JSON string: checked for depth when asked to (`"undefined"` is how Yjs writes undefined). */
  #json(): void {
    const bytes = this.#string();
    if (this.#maxDepth !== undefined && jsonBytesNestDeeperThan(bytes, this.#maxDepth)) throw new TooDeep('JSON content');
  }

  /** Reads an item's content; returns its length in clocks. */
  #content(ref: number): number {
    switch (ref) {
      case 1: // ContentDeleted
        return decoding.readVarUint(this.#decoder);
      case 2: { // ContentJSON
        const length = decoding.readVarUint(this.#decoder);
        for (let i = 0; i < length; i++) this.#json();
        return length;
      }
      case 3: // ContentBinary
        this.#string();
        return 1;
      case 4: // ContentString
        return utf16Length(this.#string());
      case 5: // ContentEmbed
        this.#json();
        return 1;
      case 6: // ContentFormat
        this.#string();
        this.#json();
        return 1;
      case 7: { // ContentType
        const typeRef = decoding.readVarUint(this.#decoder);
        if (typeRef > LAST_TYPE_REF) throw new Error(`unknown type ref ${typeRef}`);
        if (typeRef === XML_ELEMENT || typeRef === XML_HOOK) this.#string();
        return 1;
      }
      case 8: { // ContentAny
        const length = decoding.readVarUint(this.#decoder);
        for (let i = 0; i < length; i++) this.#any(1);
        return length;
      }
      case 9: // ContentDoc: guid, then options as an any value
        this.#string();
        this.#any(1);
        return 1;
      default:
        throw new Error(`unknown content ref ${ref}`);
    }
  }

  /** Skips one lib0 `any` value at nesting `depth`, refusing deeper ones. */
  #any(depth: number): void {
    const tag = decoding.readUint8(this.#decoder);
    switch (tag) {
      case 127: case 126: case 121: case 120: // undefined, null, false, true
        return;
      case 125: // integer
        decoding.readVarInt(this.#decoder);
        return;
      case 124: // float32
        decoding.readUint8Array(this.#decoder, 4);
        return;
      case 123: case 122: // float64, bigint64
        decoding.readUint8Array(this.#decoder, 8);
        return;
      case 119: case 116: // string, Uint8Array
        this.#string();
        return;
      case 118: case 117: { // object, array
        if (depth > (this.#maxDepth ?? SKIP_ANY_DEPTH)) throw new TooDeep('a value');
        for (let n = decoding.readVarUint(this.#decoder); n > 0; n--) {
          if (tag === 118) this.#string();
          this.#any(depth + 1);
        }
        return;
      }
      default:
        throw new Error(`unknown value tag ${tag}`);
    }
  }

  #deleteSet(): ClockRange[] {
    const deletes: ClockRange[] = [];
    for (let clients = decoding.readVarUint(this.#decoder); clients > 0; clients--) {
      const client = decoding.readVarUint(this.#decoder);
      for (let n = decoding.readVarUint(this.#decoder); n > 0; n--) {
        deletes.push({ client, clock: decoding.readVarUint(this.#decoder), length: decoding.readVarUint(this.#decoder) });
      }
    }
    return deletes;
  }
}

/**
 * Outlines an update without decoding its content. Never throws: malformed bytes and, with
 * `maxJsonDepth`, JSON or values nested deeper than it come back as an error.
 */
export function outlineUpdate(update: Uint8Array, options: OutlineOptions = {}): OutlineResult {
  if (update.byteLength === 0) return { ok: false, error: 'empty update' };
  try {
    return { ok: true, value: new OutlineReader(update, options).read() };
  } catch (error) {
    if (error instanceof TooDeep) return { ok: false, error: `${error.message} nests deeper than ${options.maxJsonDepth} levels`, tooDeep: true };
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

/** Whether every item of `client` in `[clock, clock + length)` exists in `ydoc` and is deleted there. */
function deletedIn(ydoc: Y.Doc, { client, clock, length }: ClockRange): boolean {
  const end = clock + length;
  if (end > Y.getState(ydoc.store, client)) return false;
  const structs = ydoc.store.clients.get(client);
  if (!structs) return false;
  for (let index = Y.findIndexSS(structs, clock); index < structs.length && structs[index]!.id.clock < end; index++) {
    if (!structs[index]!.deleted) return false;
  }
  return true;
}

/** Whether an outlined update is empty: no structs and no deletions (a stock client's idle step 2). */
export function isEmptyOutline(outline: UpdateOutline): boolean {
  return outline.structs.every((range) => range.length === 0) && outline.deletes.length === 0;
}

/**
 * Whether an update brings nothing `ydoc` lacks: every clock it carries is within the document's
 * state vector, and every range it deletes is deleted there already. Such an update is no change
 * (ids are unique per client and clock, so the carried structs are the document's own).
 */
export function bringsNothingNew(outline: UpdateOutline, ydoc: Y.Doc): boolean {
  for (const { client, clock, length } of outline.structs) if (clock + length > Y.getState(ydoc.store, client)) return false;
  return outline.deletes.every((range) => deletedIn(ydoc, range));
}
