/**
 * `xml:id`s for one TEI document: every id is an NCName and unique. Ids the data already has
 * (block ids, annotation ids) are kept when they qualify, so links into the TEI match links
 * into the room; others get a numbered stand-in.
 */

// An NCName restricted to ASCII, which is all the ids Apparatus writes use.
const NCNAME = /^[A-Za-z_][A-Za-z0-9._-]*$/;

/** Hands out unique, valid `xml:id`s for one document. */
export class XmlIds {
  private readonly taken = new Set<string>();
  private counter = 0;

  /** Returns `preferred` if it is a valid, unused NCName, otherwise `<fallback>-<n>`; marks it taken. */
  claim(preferred: string | null, fallback: string): string {
    if (preferred !== null && NCNAME.test(preferred) && !this.taken.has(preferred)) {
      this.taken.add(preferred);
      return preferred;
    }
    for (;;) {
      const id = `${fallback}-${++this.counter}`;
      if (!this.taken.has(id)) {
        this.taken.add(id);
        return id;
      }
    }
  }
}
