/**
 * The colour a user's presence is painted in, decided by the server from the user id so that
 * no one can take another's colour. The palette and hash are the browser client's
 * (`client/collab/presence-colours.ts`: eight colours, FNV-1a of the user id), repeated here
 * because server/ and client/ share only schema/; tests check the two agree.
 */
export const PRESENCE_PALETTE: readonly string[] = ['#b4233c', '#1f62a8', '#2b6e2f', '#7d3c98', '#9a4b00', '#00695c', '#ad1457', '#4e5b1a'];

/** Returns the presence colour (`#rrggbb`) of a user id. */
export function presenceColour(userId: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < userId.length; i++) {
    hash ^= userId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return PRESENCE_PALETTE[(hash >>> 0) % PRESENCE_PALETTE.length]!;
}
