/**
 * The IRIs an export gives to a room's text, annotations, replies and people, and their
 * inverse for re-import. They are built on the server's published origin:
 *
 *   text        <base>/r/<room>/text
 *   annotation  <base>/r/<room>/annotations/<id>
 *   reply       <base>/r/<room>/replies/<id>
 *   person      <base>/r/<room>/users/<authorId>
 */

/** The IRIs of one room's resources. */
export interface RoomIris {
  text: string;
  collection: string;
  annotation(id: string): string;
  reply(id: string): string;
  user(authorId: string): string;
}

/** Builds the IRIs of a room, checking that `baseUrl` is an absolute http(s) origin. */
export function roomIris(baseUrl: string, roomId: string): RoomIris {
  if (!/^https?:\/\/[^/?#\s]+(\/[^?#\s]*)?$/.test(baseUrl)) throw new TypeError(`baseUrl must be an absolute http(s) URL, got ${JSON.stringify(baseUrl)}`);
  const room = `${baseUrl.replace(/\/+$/, '')}/r/${encodeURIComponent(roomId)}`;
  return {
    text: `${room}/text`,
    collection: `${room}/annotations`,
    annotation: (id) => `${room}/annotations/${encodeURIComponent(id)}`,
    reply: (id) => `${room}/replies/${encodeURIComponent(id)}`,
    user: (authorId) => `${room}/users/${encodeURIComponent(authorId)}`,
  };
}

/**
 * Returns the local id at the end of an Apparatus annotation or reply IRI
 * (`…/annotations/<id>`, `…/replies/<id>`), or null for any other IRI.
 */
export function localIdFromIri(iri: string, kind: 'annotations' | 'replies'): string | null {
  const match = new RegExp(`/${kind}/([^/?#]+)$`).exec(iri);
  if (!match) return null;
  try {
    return decodeURIComponent(match[1]!);
  } catch {
    return null;
  }
}
