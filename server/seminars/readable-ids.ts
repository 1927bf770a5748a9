import { randomBytes } from 'node:crypto';

/**
 * Ids made from titles for addresses people read (`/s/modern-history-k3x9`, a chapter's
 * `/r/the-soft-course-2mqa`): the title in lower-case ASCII letters, digits and hyphens, and a
 * random suffix so that two seminars with the same title never collide and ids are not guessable
 * from titles alone (access is checked anyway). Room ids keep their pattern `^[a-z0-9-]{1,64}$`.
 */

const SUFFIX_ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789';

/** The title as a slug: accents dropped, anything else than a-z and 0-9 a hyphen, at most `maxLength`. */
export function slugOf(title: string, maxLength = 40): string {
  const ascii = title.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
  const slug = ascii.replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return slug.slice(0, maxLength).replace(/-+$/, '');
}

function randomSuffix(length: number): string {
  return [...randomBytes(length)].map((byte) => SUFFIX_ALPHABET[byte % SUFFIX_ALPHABET.length]).join('');
}

/** A fresh id `<slug>-<4 random characters>` (or just the suffix for a title with no letters) that `taken` refuses nowhere. */
export async function readableId(title: string, taken: (id: string) => boolean | Promise<boolean>, fallback = 'item'): Promise<string> {
  const base = slugOf(title) || fallback;
  for (let length = 4; ; length++) {
    const id = `${base}-${randomSuffix(length)}`;
    if (!(await taken(id))) return id;
  }
}
