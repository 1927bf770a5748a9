import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from './machine-info.ts';

/** The fixture chapter's plain text (what rooms are created from). */
export function chapterText(): string {
  return readFileSync(path.join(PROJECT_ROOT, 'fixtures', 'chapter-5.txt'), 'utf8');
}
