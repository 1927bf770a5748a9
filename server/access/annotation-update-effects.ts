import * as Y from 'yjs';
import type { AnnotationRoot, StructTarget, UpdateTouches } from './update-struct-targets.ts';

/**
 * Turns the touches of an update (`update-struct-targets.ts`) into effects per entry of the
 * annotation document: which entries it creates (with their fields as written), which existing
 * entries it removes or replaces, and which fields of existing entries it sets or deletes.
 *
 * Values are the update's own: a field written twice takes the later write (update order is
 * clock order per client). Concurrent writes the server has already stored are not merged in;
 * the check is what this client asks for, on top of what the server holds.
 */

/** A new entry written by the update under a key. */
export interface CreatedEntry {
  /** The root-level item holding it. */
  item: Y.Item;
  /** Whether the update deletes it again (then nothing of it stays visible). */
  removedByUpdate: boolean;
  /** Its fields as written (annotation and reply maps). */
  fields: Map<string, unknown>;
  /** Its value (a dismissal); undefined for maps. */
  value: unknown;
}

/** A change to one field of an existing entry: a new value, or the field's deletion. */
export type FieldChange = { deleted: false; value: unknown } | { deleted: true };

/** What the update does to one entry (root map and key). */
export interface EntryEffect {
  root: AnnotationRoot;
  key: string;
  /** The visible value before the update (a Y.Map for annotations and replies), or undefined. */
  before: unknown;
  /** Whether the update removes or replaces the visible value. */
  removesBefore: boolean;
  created: CreatedEntry[];
  /** Changes to fields of the visible entry map, by field name. */
  fieldChanges: Map<string, FieldChange>;
}

/** The effects of an update, or why it does not fit the layout. */
export type EffectsResult = { ok: true; value: EntryEffect[] } | { ok: false; error: string };

class LayoutViolation extends Error {}

/** The single value a live map item holds (a deleted one may hold merged old values). */
function soleValue(item: Y.Item, where: string): unknown {
  const content = item.content as Y.ContentAny;
  if (content.arr.length !== 1) throw new LayoutViolation(`${where}: a live map value must be one JSON value`);
  return content.arr[0];
}

function describe(target: { root: string; key: string }): string {
  return `${target.root}[${JSON.stringify(target.key.slice(0, 80))}]`;
}

/** Collects the effects, entry by entry. */
class EffectCollector {
  readonly #state: Y.Doc;
  readonly #effects = new Map<string, EntryEffect>();
  readonly #createdByItem = new Map<Y.Item, CreatedEntry>();

  constructor(state: Y.Doc) {
    this.#state = state;
  }

  effects(): EntryEffect[] {
    return [...this.#effects.values()];
  }

  effectOf(root: AnnotationRoot, key: string): EntryEffect {
    const id = `${root}\u0000${key}`;
    let effect = this.#effects.get(id);
    if (!effect) {
      const before = this.#state.getMap<unknown>(root).get(key);
      effect = { root, key, before, removesBefore: false, created: [], fieldChanges: new Map() };
      this.#effects.set(id, effect);
    }
    return effect;
  }

  /** A root-level item: a new entry, a new dismissal, or a deletion marker under the key. */
  addEntryItem(item: Y.Item, target: Extract<StructTarget, { level: 'entry' }>, removedByUpdate: boolean): void {
    const effect = this.effectOf(target.root, target.key);
    // A new item under a key becomes the key's value and deletes the old one (Item.integrate).
    if (effect.before !== undefined) effect.removesBefore = true;
    const { content } = item;
    if (content instanceof Y.ContentDeleted) return;
    if (target.root === 'dismissed') {
      if (!(content instanceof Y.ContentAny)) throw new LayoutViolation(`${describe(target)}: a dismissal must be a plain JSON value`);
      const value = removedByUpdate ? undefined : soleValue(item, describe(target));
      effect.created.push({ item, removedByUpdate, fields: new Map(), value });
      return;
    }
    if (!(content instanceof Y.ContentType) || !(content.type instanceof Y.Map)) {
      throw new LayoutViolation(`${describe(target)}: an entry must be a Y.Map of its fields`);
    }
    const created: CreatedEntry = { item, removedByUpdate, fields: new Map(), value: undefined };
    effect.created.push(created);
    this.#createdByItem.set(item, created);
  }

  /** A field-level item: a field of an entry created by the update, or a change to an existing one. */
  addFieldItem(item: Y.Item, target: Extract<StructTarget, { level: 'field' }>, removedByUpdate: boolean): void {
    const where = `${describe(target)}.${target.field}`;
    const { content } = item;
    const isValue = content instanceof Y.ContentAny;
    if (!isValue && !(content instanceof Y.ContentDeleted)) throw new LayoutViolation(`${where}: field values must be plain JSON, not Yjs types or text`);
    const live = isValue && !removedByUpdate;
    const created = this.#createdByItem.get(target.entry);
    if (created) {
      if (live) created.fields.set(target.field, soleValue(item, where));
      else created.fields.delete(target.field);
      return;
    }
    if (this.#isNewItem(target.entry)) throw new LayoutViolation(`${where}: written into an item that is not an entry map`);
    const effect = this.effectOf(target.root, target.key);
    effect.fieldChanges.set(target.field, live ? { deleted: false, value: soleValue(item, where) } : { deleted: true });
  }

  /** A visible item of the state the update deletes: an entry, or an entry's field value. */
  addDeletion(target: StructTarget): void {
    if (target.level === 'none') return;
    const effect = this.effectOf(target.root, target.key);
    if (target.level === 'entry') {
      effect.removesBefore = true;
      return;
    }
    // Deleting the old value of a field the update also sets is how Yjs overwrites: keep the new value.
    if (!effect.fieldChanges.has(target.field)) effect.fieldChanges.set(target.field, { deleted: true });
  }

  #isNewItem(item: Y.Item): boolean {
    return item.id.clock >= Y.getState(this.#state.store, item.id.client);
  }
}

/**
 * Computes the effects of an update on each entry it touches, against the state document it was
 * mapped on. Refuses values the layout does not allow: entries that are not maps, dismissals
 * that are not plain values, fields holding Yjs types or text.
 */
export function collectEntryEffects(state: Y.Doc, touches: UpdateTouches): EffectsResult {
  const collector = new EffectCollector(state);
  try {
    // Entries first, so that fields written into a new entry find it.
    for (const { item, target, deletedByUpdate } of touches.inserted) {
      if (target.level === 'entry') collector.addEntryItem(item, target, deletedByUpdate);
    }
    for (const { item, target, deletedByUpdate } of touches.inserted) {
      if (target.level === 'field') collector.addFieldItem(item, target, deletedByUpdate);
    }
    for (const { target } of touches.deleted) collector.addDeletion(target);
  } catch (error) {
    if (error instanceof LayoutViolation) return { ok: false, error: error.message };
    throw error;
  }
  return { ok: true, value: collector.effects() };
}
