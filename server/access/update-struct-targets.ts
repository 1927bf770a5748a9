import * as Y from 'yjs';
import { ANNOTATION_DOC_MAPS } from '../../schema/index.ts';

/**
 * Decodes a Yjs update to the annotation document and finds, for every struct it inserts and
 * every existing item it deletes, where in the layout (`schema/README.md`) it lands: which root
 * map, which entry, which field. This is done without applying the update, against a state
 * document (the server's view), by following each item's `parent`, `origin` and `rightOrigin`
 * exactly as Yjs would when it integrates the item (Item.getMissing in yjs 13.6):
 *
 * - an item with an origin (left) inherits the parent and key of that item, else of its right
 *   origin; a garbage-collected neighbour turns the item into garbage (it lands nowhere);
 * - an item with an explicit parent names a root map (a string) or the item holding a Y.Map;
 * - an item inside a deleted entry is deleted on arrival (it lands nowhere).
 *
 * Anything the layout does not allow (an unknown root, a nested type, sequence content in a
 * map, a reference to something that exists nowhere, a reference cycle) is an error: the whole
 * update is refused. References the server cannot resolve are reported as missing dependencies,
 * so the caller can ask the client to resync.
 */

/** The root maps of the annotation document. */
export type AnnotationRoot = 'annotations' | 'replies' | 'dismissed';

const ROOTS: ReadonlySet<string> = new Set(Object.values(ANNOTATION_DOC_MAPS));

/** Where a struct lands in the annotation layout. */
export type StructTarget =
  /** Nowhere: Yjs garbage-collects it or deletes it on arrival (its parent entry is deleted). */
  | { level: 'none' }
  /** A root map's value under `key`: an annotation or reply Y.Map, or a dismissal. */
  | { level: 'entry'; root: AnnotationRoot; key: string }
  /** One field of the entry Y.Map held by `entry` (an item of the state or of the update). */
  | { level: 'field'; root: AnnotationRoot; key: string; entry: Y.Item; field: string };

/** An item the update adds to the document, with where it lands. */
export interface InsertedItem {
  item: Y.Item;
  target: StructTarget;
  /** Whether the update's own delete set deletes it too. */
  deletedByUpdate: boolean;
}

/** A visible item of the state document that the update deletes, with where it is. */
export interface DeletedItem {
  item: Y.Item;
  target: StructTarget;
}

/** Everything an update does to the layout, before any permission or validity check. */
export interface UpdateTouches {
  /** Items new to the state, in the update's order (per client, by clock). */
  inserted: InsertedItem[];
  deleted: DeletedItem[];
  /** Yjs client ids the update adds structs for. */
  clients: number[];
}

/** The touches of an update, or why it is refused; `missing` marks missing dependencies. */
export type TouchesResult = { ok: true; value: UpdateTouches } | { ok: false; error: string; missing: boolean };

type Struct = Y.Item | Y.GC | Y.Skip;
type DeleteSet = ReturnType<typeof Y.decodeUpdate>['ds'];

/** A struct found by id: in the state document, or among the update's new structs. */
type Located = { where: 'state'; struct: Y.Item | Y.GC } | { where: 'update'; struct: Y.Item | Y.GC };

/** Thrown inside the mapping to abandon it; turned into a TouchesResult at the top. */
class Refusal extends Error {
  readonly missing: boolean;
  constructor(message: string, missing = false) {
    super(message);
    this.missing = missing;
  }
}

function describeId(id: Y.ID): string {
  return `${id.client}:${id.clock}`;
}

/** Finds the struct holding `clock` in a clock-sorted list of structs, or undefined. */
function findInList(list: readonly (Y.Item | Y.GC)[], clock: number): Y.Item | Y.GC | undefined {
  let low = 0;
  let high = list.length - 1;
  while (low <= high) {
    const mid = (low + high) >>> 1;
    const struct = list[mid]!;
    if (clock < struct.id.clock) high = mid - 1;
    else if (clock >= struct.id.clock + struct.length) low = mid + 1;
    else return struct;
  }
  return undefined;
}

/** The mapping of one update against one state document. */
class TouchMapper {
  readonly #state: Y.Doc;
  /** The update's structs that are (at least partly) new to the state, per client. */
  readonly #fresh = new Map<number, (Y.Item | Y.GC)[]>();
  readonly #targets = new Map<Y.Item, StructTarget>();
  readonly #rootNames = new Map<Y.AbstractType<unknown>, string | null>();

  constructor(state: Y.Doc) {
    this.#state = state;
  }

  stateClock(client: number): number {
    return Y.getState(this.#state.store, client);
  }

  /* --- phase 1: index the update's new structs, refusing gaps --- */

  indexStructs(structs: readonly Struct[]): void {
    let previous: Struct | null = null;
    for (const struct of structs) {
      if (struct instanceof Y.Skip) throw new Refusal(`the update skips clocks of client ${struct.id.client}`, true);
      const { client, clock } = struct.id;
      const continues = previous !== null && previous.id.client === client;
      if (continues && clock !== previous!.id.clock + previous!.length) throw new Refusal(`the structs of client ${client} are not contiguous`);
      // The first struct of a client must start where the state ends, or before (overlap is skipped).
      if (!continues && clock > this.stateClock(client)) throw new Refusal(`the update starts at ${describeId(struct.id)} but the server has clocks up to ${this.stateClock(client)}`, true);
      previous = struct;
      if (clock + struct.length <= this.stateClock(client)) continue;
      const list = this.#fresh.get(client) ?? [];
      list.push(struct);
      this.#fresh.set(client, list);
    }
  }

  freshStructs(): (Y.Item | Y.GC)[] {
    return [...this.#fresh.values()].flat();
  }

  /** Finds the struct with this id in the state, else in the update's new structs, else refuses. */
  locate(id: Y.ID, referrer: Y.Item): Located {
    if (id.clock < this.stateClock(id.client)) {
      const list = this.#state.store.clients.get(id.client)!;
      return { where: 'state', struct: list[Y.findIndexSS(list, id.clock)]! };
    }
    const struct = findInList(this.#fresh.get(id.client) ?? [], id.clock);
    if (!struct) throw new Refusal(`${describeId(referrer.id)} refers to ${describeId(id)}, which the server does not have`, true);
    // Yjs integrates a client's structs in clock order: a reference forward in the same client never resolves.
    if (id.client === referrer.id.client && id.clock >= referrer.id.clock) throw new Refusal(`${describeId(referrer.id)} refers forward to ${describeId(id)}`);
    return { where: 'update', struct };
  }

  /* --- phase 2: where state items are --- */

  rootName(type: Y.AbstractType<unknown>): string {
    let name = this.#rootNames.get(type);
    if (name === undefined) {
      name = null;
      for (const [key, value] of this.#state.share) if (value === type) name = key;
      this.#rootNames.set(type, name);
    }
    if (name === null || !ROOTS.has(name)) throw new Refusal(`the update touches the unknown root type ${JSON.stringify(name)}`);
    return name;
  }

  /** Where an item of the state document is. */
  stateTarget(struct: Y.Item | Y.GC): StructTarget {
    if (!(struct instanceof Y.Item)) return { level: 'none' };
    const parent = struct.parent as Y.AbstractType<unknown>;
    if (parent._item === null) {
      const root = this.rootName(parent) as AnnotationRoot;
      if (struct.parentSub === null) throw new Refusal(`the root map ${root} holds sequence content`);
      return { level: 'entry', root, key: struct.parentSub };
    }
    const entry = parent._item;
    if (entry.deleted) return { level: 'none' };
    const grandparent = entry.parent as Y.AbstractType<unknown>;
    if (grandparent._item !== null) throw new Refusal('the update touches a nested type, which the layout does not have');
    if (!(parent instanceof Y.Map) || entry.parentSub === null || struct.parentSub === null) throw new Refusal('the update touches an entry that is not a map field');
    return { level: 'field', root: this.rootName(grandparent) as AnnotationRoot, key: entry.parentSub, entry, field: struct.parentSub };
  }

  /* --- phase 3: where the update's new items land --- */

  /** The origin Yjs will use: a partly known struct is integrated from its first unknown clock. */
  effectiveOrigin(item: Y.Item): Y.ID | null {
    const known = this.stateClock(item.id.client);
    return item.id.clock < known ? Y.createID(item.id.client, known - 1) : item.origin;
  }

  /** Returns the struct whose target `item` inherits, or the explicit parent to use. */
  dependencyOf(item: Y.Item): { inherit: Located | null; gc: boolean } | { parent: string | Y.ID | null } {
    const origin = this.effectiveOrigin(item);
    if (origin !== null || item.rightOrigin !== null) {
      const left = origin ? this.locate(origin, item) : null;
      const right = item.rightOrigin ? this.locate(item.rightOrigin, item) : null;
      const gc = (left !== null && !(left.struct instanceof Y.Item)) || (right !== null && !(right.struct instanceof Y.Item));
      return { inherit: left ?? right, gc };
    }
    return { parent: item.parent as unknown as string | Y.ID | null };
  }

  /** The target of an entry item (a Y.Map holder) as a parent: the field level beneath it. */
  fieldUnder(entry: Y.Item, entryTarget: StructTarget, child: Y.Item): StructTarget {
    if (entryTarget.level === 'none') return entryTarget;
    if (entryTarget.level === 'field') throw new Refusal('the update nests a type inside a field, which the layout does not have');
    if (!(entry.content instanceof Y.ContentType) || !(entry.content.type instanceof Y.Map)) {
      throw new Refusal(`${describeId(child.id)} is placed inside ${describeId(entry.id)}, which holds no map`);
    }
    if (child.parentSub === null) throw new Refusal(`${describeId(child.id)} is sequence content inside an entry map`);
    return { level: 'field', root: entryTarget.root, key: entryTarget.key, entry, field: child.parentSub };
  }

  /**
   * Resolves the target of every new item, iteratively (a crafted chain of references must not
   * overflow the stack) and refusing reference cycles.
   */
  resolveAll(items: readonly Y.Item[]): void {
    const visiting = new Set<Y.Item>();
    for (const start of items) {
      const stack: Y.Item[] = [start];
      while (stack.length > 0) {
        const item = stack[stack.length - 1]!;
        if (this.#targets.has(item)) {
          stack.pop();
          continue;
        }
        const waitingFor = this.#tryResolve(item);
        if (waitingFor === null) {
          visiting.delete(item);
          stack.pop();
          continue;
        }
        if (visiting.has(waitingFor)) throw new Refusal(`the update's references form a cycle at ${describeId(waitingFor.id)}`);
        visiting.add(item);
        stack.push(waitingFor);
      }
    }
  }

  /** Resolves one item if what it depends on is resolved; else returns the update item to resolve first. */
  #tryResolve(item: Y.Item): Y.Item | null {
    const dependency = this.dependencyOf(item);
    if ('inherit' in dependency) {
      if (dependency.gc || dependency.inherit === null) return this.#settle(item, { level: 'none' });
      const source = dependency.inherit;
      if (source.where === 'state') return this.#settle(item, this.stateTarget(source.struct));
      const inherited = this.#targets.get(source.struct as Y.Item);
      return inherited === undefined ? (source.struct as Y.Item) : this.#settle(item, inherited);
    }
    const { parent } = dependency;
    if (parent === null) return this.#settle(item, { level: 'none' });
    if (typeof parent === 'string') {
      if (!ROOTS.has(parent)) throw new Refusal(`the update writes to the unknown root type ${JSON.stringify(parent.slice(0, 40))}`);
      if (item.parentSub === null) throw new Refusal(`the update adds sequence content to the root map ${parent}`);
      return this.#settle(item, { level: 'entry', root: parent as AnnotationRoot, key: item.parentSub });
    }
    const holder = this.locate(parent, item);
    if (!(holder.struct instanceof Y.Item)) return this.#settle(item, { level: 'none' });
    const entry = holder.struct;
    if (holder.where === 'state') {
      if (entry.deleted) return this.#settle(item, { level: 'none' });
      return this.#settle(item, this.fieldUnder(entry, this.#entryTargetOfState(entry), item));
    }
    const entryTarget = this.#targets.get(entry);
    return entryTarget === undefined ? entry : this.#settle(item, this.fieldUnder(entry, entryTarget, item));
  }

  /** The target of a state item used as a parent: it must itself be a root map's entry. */
  #entryTargetOfState(entry: Y.Item): StructTarget {
    const target = this.stateTarget(entry);
    if (target.level === 'field') throw new Refusal('the update nests a type inside a field, which the layout does not have');
    return target;
  }

  #settle(item: Y.Item, target: StructTarget): null {
    this.#targets.set(item, target);
    return null;
  }

  targetOf(item: Y.Item): StructTarget {
    return this.#targets.get(item) ?? { level: 'none' };
  }

  /* --- phase 4: what the delete set deletes --- */

  /**
   * Maps the update's delete set: visible state items it deletes (with their targets), and the
   * update's own new structs it deletes. Ranges that exist nowhere are missing dependencies.
   */
  mapDeletions(ds: DeleteSet): { deleted: DeletedItem[]; deletedNew: Set<Y.Item | Y.GC> } {
    const deleted: DeletedItem[] = [];
    const deletedNew = new Set<Y.Item | Y.GC>();
    for (const [client, ranges] of ds.clients) {
      const known = this.stateClock(client);
      for (const { clock, len } of ranges) {
        const end = clock + len;
        if (clock < known) this.#collectStateDeletions(client, clock, Math.min(end, known), deleted);
        if (end > known) this.#collectNewDeletions(client, Math.max(clock, known), end, deletedNew);
      }
    }
    return { deleted, deletedNew };
  }

  #collectStateDeletions(client: number, from: number, to: number, into: DeletedItem[]): void {
    const list = this.#state.store.clients.get(client)!;
    for (let i = Y.findIndexSS(list, from); i < list.length && list[i]!.id.clock < to; i++) {
      const struct = list[i]!;
      if (!(struct instanceof Y.Item) || struct.deleted) continue;
      const target = this.stateTarget(struct);
      if (target.level !== 'none') into.push({ item: struct, target });
    }
  }

  #collectNewDeletions(client: number, from: number, to: number, into: Set<Y.Item | Y.GC>): void {
    const list = this.#fresh.get(client) ?? [];
    let covered = from;
    for (const struct of list) {
      const start = struct.id.clock;
      const end = start + struct.length;
      if (end <= from || start >= to) continue;
      if (start > covered) break;
      into.add(struct);
      covered = end;
    }
    if (covered < to) throw new Refusal(`the update deletes ${client}:${from}..${to}, which the server does not have`, true);
  }
}

/**
 * Maps an update to the annotation document onto the layout, against `state` (the server's
 * document, read only). Returns every inserted item and every deleted visible item with its
 * target, or why the update cannot be accepted. Never throws on bad bytes. `decoded`, when
 * given, is `Y.decodeUpdate(update)` already done by the caller (it is read, not changed).
 */
export function mapUpdateTouches(state: Y.Doc, update: Uint8Array, decoded?: ReturnType<typeof Y.decodeUpdate>): TouchesResult {
  try {
    const { structs, ds } = decoded ?? Y.decodeUpdate(update);
    const mapper = new TouchMapper(state);
    mapper.indexStructs(structs);
    const fresh = mapper.freshStructs();
    const items = fresh.filter((s): s is Y.Item => s instanceof Y.Item);
    mapper.resolveAll(items);
    const { deleted, deletedNew } = mapper.mapDeletions(ds);
    const inserted = items.map((item) => ({ item, target: mapper.targetOf(item), deletedByUpdate: deletedNew.has(item) }));
    return { ok: true, value: { inserted, deleted, clients: [...new Set(fresh.map((s) => s.id.client))] } };
  } catch (error) {
    if (error instanceof Refusal) return { ok: false, error: error.message, missing: error.missing };
    return { ok: false, error: `the update could not be mapped: ${error instanceof Error ? error.message : String(error)}`, missing: false };
  }
}
