/** The room a page shows, read from its address (`/r/<room>`), or null on any other path. */
export function roomFromPath(pathname: string): string | null {
  const match = /^\/r\/([a-z0-9-]{1,64})\/?$/.exec(pathname);
  return match ? match[1]! : null;
}

/** The collaboration endpoint of the server that served the page (`ws(s)://host/collab`). */
export function collabUrlFor(location: Pick<Location, 'protocol' | 'host'>): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/collab`;
}
