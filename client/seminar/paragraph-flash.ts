/**
 * Brings a paragraph of the chapter into view and marks it for a moment. The mark is a box laid
 * over the paragraph inside the reading column, not a class on the paragraph: ProseMirror owns
 * the chapter's DOM and would take a changed attribute for an edit.
 */
export function flashParagraph(host: HTMLElement, blockId: string): boolean {
  const reading = host.querySelector<HTMLElement>('#ap-reading');
  const paragraph = reading?.querySelector<HTMLElement>(`.ap-chapter [data-id="${CSS.escape(blockId)}"]`);
  if (!reading || !paragraph) return false;
  paragraph.scrollIntoView({ block: 'center' });
  const box = paragraph.getBoundingClientRect();
  const frame = reading.getBoundingClientRect();
  const mark = document.createElement('div');
  mark.className = 'ap-paragraph-flash';
  mark.setAttribute('aria-hidden', 'true');
  mark.style.setProperty('--flash-top', `${box.top - frame.top + reading.scrollTop - 6}px`);
  mark.style.setProperty('--flash-left', `${box.left - frame.left - 10}px`);
  mark.style.setProperty('--flash-width', `${box.width + 20}px`);
  mark.style.setProperty('--flash-height', `${box.height + 12}px`);
  reading.append(mark);
  mark.addEventListener('animationend', () => mark.remove());
  return true;
}
