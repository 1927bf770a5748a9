/**
 * Runs in the page (`locator.evaluate(selectWordsInPage, words)`): selects the first occurrence
 * of `wanted` in the chapter `root` as a user would, with a DOM selection that ProseMirror then
 * adopts. Shared by the e2e specs and `scripts/screenshots.ts`. Self-contained on purpose: it is
 * serialised into the page, so it may not call helpers of this module (nor named inner functions,
 * which tsx would wrap in a `__name` the page lacks).
 */
export function selectWordsInPage(root: Element, wanted: string): void {
  // Reading text only: skip widgets (remote carets, page numbers, footnote markers).
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const nodes: Text[] = [];
  let text = '';
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.parentElement!.closest('[contenteditable="false"]')) continue;
    nodes.push(node as Text);
    text += node.textContent;
  }
  const at = text.indexOf(wanted);
  if (at < 0) throw new Error(`"${wanted}" is not in the chapter`);
  // One pass finds both ends.
  const end = at + wanted.length;
  let startNode: Text | null = null;
  let endNode: Text | null = null;
  let startOffset = 0;
  let endOffset = 0;
  let seen = 0;
  for (const node of nodes) {
    const length = node.textContent!.length;
    if (!startNode && at < seen + length) [startNode, startOffset] = [node, at - seen];
    if (!endNode && end <= seen + length) [endNode, endOffset] = [node, end - seen];
    seen += length;
  }
  if (!startNode || !endNode) throw new Error('offset outside the chapter');
  (root as HTMLElement).focus();
  const line = startNode.parentElement!.getBoundingClientRect();
  // A reader selects what is on screen: bring the words into view first.
  if (line.top < 80 || line.bottom > innerHeight - 40) startNode.parentElement!.scrollIntoView({ block: 'center' });
  const range = document.createRange();
  range.setStart(startNode, startOffset);
  range.setEnd(endNode, endOffset);
  const selection = window.getSelection()!;
  selection.removeAllRanges();
  selection.addRange(range);
}
