/**
 * How the people present in a room are told apart: the server gives each person a slot when
 * they arrive (the lowest one free among those present, kept while any of their tabs stays),
 * and every browser paints the slot the same way. Twelve colours, each readable as white label
 * text and as a caret on the cream page (contrast ≥ 4.5:1); from slot 12 on the colours repeat
 * with a second cue, a dashed caret and striped label, so a seminar of 20 stays distinct.
 */
export const PRESENCE_PALETTE: readonly string[] = [
  '#b4233c',
  '#1f62a8',
  '#2b6e2f',
  '#7d3c98',
  '#9a4b00',
  '#00695c',
  '#ad1457',
  '#4e5b1a',
  '#283593',
  '#6d4c41',
  '#37474f',
  '#8d6e00',
];

/** How many slots look different (colour × the second cue). Beyond, looks repeat; names still differ. */
export const DISTINCT_PRESENCE_SLOTS = PRESENCE_PALETTE.length * 2;

/** How a presence slot is painted: a palette colour, and whether it carries the second cue. */
export interface PresenceLook {
  /** Index into PRESENCE_PALETTE. */
  colourIndex: number;
  /** The second cue (dashed caret, striped label) of slots 12–23. */
  patterned: boolean;
  /** The colour, `#rrggbb`. */
  colour: string;
}

/** Returns how a slot (a non-negative integer) is painted. */
export function presenceLook(slot: number): PresenceLook {
  if (!Number.isInteger(slot) || slot < 0) throw new RangeError(`presence slot must be a non-negative integer, not ${slot}`);
  const colourIndex = slot % PRESENCE_PALETTE.length;
  const patterned = Math.floor(slot / PRESENCE_PALETTE.length) % 2 === 1;
  return { colourIndex, patterned, colour: PRESENCE_PALETTE[colourIndex]! };
}

/**
 * The slots of the people present in one room: the lowest free slot for a newcomer, the same
 * slot for every connection of one person, freed when their last connection leaves.
 */
export class PresenceSlots {
  readonly #slots = new Map<string, { slot: number; connections: number }>();

  /** Records one more connection of `userId` and returns the person's slot. */
  join(userId: string): number {
    const held = this.#slots.get(userId);
    if (held) {
      held.connections++;
      return held.slot;
    }
    const taken = new Set([...this.#slots.values()].map((entry) => entry.slot));
    let slot = 0;
    while (taken.has(slot)) slot++;
    this.#slots.set(userId, { slot, connections: 1 });
    return slot;
  }

  /** The slot `userId` holds, or null when they are not present. */
  slotOf(userId: string): number | null {
    return this.#slots.get(userId)?.slot ?? null;
  }

  /** Records that one connection of `userId` left; the slot is freed with the last one. */
  leave(userId: string): void {
    const held = this.#slots.get(userId);
    if (!held) return;
    held.connections--;
    if (held.connections <= 0) this.#slots.delete(userId);
  }
}
