/**
 * What one server process tells all the others about shared state changed through it
 * (docs/several-servers.md), so that they act at once rather than at their next sweep: access
 * changed (invites revoked, roles changed, sessions ended: sockets are checked again), a user
 * renamed (the checks read current names from memory), a room deleted (its documents leave
 * memory). Every one of these is also caught without being told: sweeps read the store every
 * second, and the store refuses updates of a deleted room.
 */
export interface ClusterEvents {
  accessChanged(): void;
  renamed(userId: string, name: string): void;
  roomDeleted(room: string): void;
  /** Who hears the others' events. */
  onEvent(listener: ClusterEventListener): void;
}

/** What a process does with the others' events. */
export interface ClusterEventListener {
  accessChanged(): void;
  renamed(userId: string, name: string): void;
  roomDeleted(room: string): void;
}
