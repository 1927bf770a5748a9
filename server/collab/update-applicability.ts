import * as Y from 'yjs';
import type { DecodedUpdate } from './message-parser.ts';

/**
 * Proves, before an update is stored, that Yjs can integrate every struct in it (issue 14, P1).
 *
 * When Yjs applies an update it resolves the references of *every* struct it carries, those the
 * document already has included (`integrateStructs` calls `Item.getMissing` before it looks at
 * the offset), and it trusts a struct's references into its own client's clocks: it assumes
 * every earlier clock of that client is present and looks them up without checking
 * (`getItemCleanEnd`, `getItem`). A re-sent update whose struct points forward into its own
 * client's clocks therefore throws a TypeError halfway through applying, on the server and on
 * every replica it reaches, and again on every reload of a log that stored it.
 *
 * The rules, as Yjs 13.6 integrates:
 * - each client's structs start at or before the document's clock for that client and are
 *   contiguous (a gap, or a Skip, leaves them pending: the update depends on missing clocks);
 * - a reference (origin, right origin, parent item) into the struct's own client must name an
 *   earlier clock: those are present once the struct is integrated, later ones never are;
 * - a reference into another client must name a clock the document has or the update carries,
 *   else the struct waits for a dependency that may never come.
 */

/** Why an update cannot be applied as it is; `missing` when it depends on clocks the server lacks. */
export interface ApplicabilityProblem {
  reason: string;
  missing: boolean;
}

type Reference = { id: Y.ID; role: string };

/** The ID references Yjs resolves for an item: its origins and, when it names one, its parent item. */
function referencesOf(item: Y.Item): Reference[] {
  const references: Reference[] = [];
  if (item.origin) references.push({ id: item.origin, role: 'origin' });
  if (item.rightOrigin) references.push({ id: item.rightOrigin, role: 'right origin' });
  const parent = item.parent as unknown;
  if (parent instanceof Y.ID) references.push({ id: parent, role: 'parent' });
  return references;
}

function describe(id: Y.ID): string {
  return `${id.client}:${id.clock}`;
}

/**
 * Returns why `decoded` (the update's `Y.decodeUpdate`) cannot be applied as it is, or null when
 * every struct in it will integrate, given `clockOf(client)`: how many clocks of each client the
 * document will hold when this update is applied (its own, and those of updates accepted before
 * it and not yet applied).
 */
export function applicabilityProblem(clockOf: (client: number) => number, decoded: DecodedUpdate): ApplicabilityProblem | null {
  // The clocks the update carries, per client: from where it starts to where it ends.
  const carried = new Map<number, { from: number; to: number }>();
  for (const struct of decoded.structs) {
    const { client, clock } = struct.id;
    const known = clockOf(client);
    const run = carried.get(client);
    if (struct instanceof Y.Skip) return { reason: `the update skips clocks of client ${client}`, missing: true };
    if (!run) {
      if (clock > known) return { reason: `the update starts at ${client}:${clock} but the server has clocks up to ${known}`, missing: true };
      carried.set(client, { from: clock, to: clock + struct.length });
    } else {
      if (clock !== run.to) return { reason: `the structs of client ${client} are not contiguous`, missing: false };
      run.to = clock + struct.length;
    }
  }
  const available = (id: Y.ID) => {
    if (id.clock < clockOf(id.client)) return true;
    const run = carried.get(id.client);
    return run !== undefined && id.clock >= run.from && id.clock < run.to;
  };
  for (const struct of decoded.structs) {
    if (!(struct instanceof Y.Item)) continue;
    for (const { id, role } of referencesOf(struct)) {
      if (id.client === struct.id.client) {
        if (id.clock >= struct.id.clock) return { reason: `${describe(struct.id)} names ${describe(id)} as its ${role}, a clock of its own client that follows it`, missing: false };
      } else if (!available(id)) {
        return { reason: `${describe(struct.id)} names ${describe(id)} as its ${role}, which the server does not have`, missing: true };
      }
    }
  }
  return null;
}
