import { readFileSync } from 'node:fs';
import { expect, test } from './support/fixtures.ts';
import { seedAnnotations } from './support/seed-room.ts';
import { readDocx, trackedChanges } from '../helpers/docx-reader.ts';

test('the export menu’s choices shape the Word download: only problems, as tracked changes and their comments', async ({ room, joinRoom }) => {
  const seeded = await seedAnnotations(room.baseUrl, room.id, room.invites);
  const { page } = await joinRoom('viewer', 'Vera Viewer');
  await expect(page.locator('ap-annotation-card')).toHaveCount(20);
  const menu = page.locator('ap-export-menu');
  await menu.getByRole('button', { name: 'Export' }).click();
  const options = menu.getByRole('group', { name: 'Word document options' });
  await options.getByRole('checkbox', { name: 'Claims' }).uncheck();
  await options.getByRole('checkbox', { name: 'Comments' }).uncheck();
  const word = menu.getByRole('link', { name: /Word document/ });
  await expect(word).toHaveAttribute('href', `/api/rooms/${room.id}/export?format=docx&kinds=problem`);

  const download = page.waitForEvent('download');
  await word.click();
  const file = await download;
  expect(file.suggestedFilename()).toBe(`${room.id}-review.docx`);
  const read = readDocx(new Uint8Array(readFileSync((await file.path())!)));
  const problems = seeded.filter((s) => s.kind === 'problem');
  // Open and accepted problems are tracked (in the body, and in a footnote for the last one);
  // each has a note, so each also has a comment.
  const changes = [trackedChanges(read.body), ...read.footnotes.map((f) => trackedChanges(f.tokens))].flat();
  expect(changes.map((c) => [c.deleted, c.inserted])).toEqual(problems.map((p) => [p.quote, p.correction]));
  // (A footnote's comment sits at its marker in the body, so comments are in body order.)
  const heads = read.comments.filter((c) => c.parentId === null).map((c) => c.text.split('\n')[0]);
  expect(heads.sort()).toEqual(problems.map((_, i) => (i === 0 ? 'Problem: Mistranslation · accepted' : 'Problem: Mistranslation')).sort());

  // With no kind chosen there is nothing to download, and the menu says why.
  await menu.getByRole('button', { name: 'Export' }).click();
  await options.getByRole('checkbox', { name: 'Problems' }).uncheck();
  await expect(word).toHaveAttribute('aria-disabled', 'true');
  await expect(word).toContainText('Choose at least one kind of annotation');
  await expect(word).not.toHaveAttribute('href');
});
