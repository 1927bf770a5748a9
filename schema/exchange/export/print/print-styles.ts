/**
 * The stylesheet of the printed apparatus (`<article class="ap-print">`): serif text for paper,
 * the book's page numbers in the left margin, each passage underlined in the style of its tag
 * (solid, wavy, dashed, double, dotted: the shapes tell the tags apart in black and white, the
 * inks only help), overlapping passages stacked lower, letters after passages, the apparatus in
 * a smaller size after each section. The browser adopts it as a constructed stylesheet (no
 * inline style under the page's CSP); the standalone page carries it in a `<style>` element.
 */
export const PRINT_STYLESHEET = `
@page { margin: 18mm 16mm 20mm 14mm; }
@page { @bottom-right { content: counter(page) " / " counter(pages); font: 8pt 'DejaVu Sans', 'Liberation Sans', sans-serif; color: #444; } }

.ap-print {
  --ap-print-serif: 'Iowan Old Style', 'Palatino Linotype', Palatino, 'Book Antiqua', Georgia, 'Liberation Serif', 'DejaVu Serif', serif;
  --ap-print-sans: 'Helvetica Neue', 'Liberation Sans', 'DejaVu Sans', Arial, sans-serif;
  font-family: var(--ap-print-serif);
  font-size: 10.5pt;
  line-height: 1.75;
  color: #000;
  background: #fff;
  max-width: 44em;
  margin: 0 auto;
  padding-left: 13mm;
  -webkit-print-color-adjust: exact;
  print-color-adjust: exact;
  orphans: 2;
  widows: 2;
}
.ap-print h1, .ap-print h2, .ap-print h3, .ap-print p, .ap-print li { position: relative; }
.ap-print .ap-print__title { font-size: 18pt; line-height: 1.3; margin: 0 0 6pt; font-weight: 600; }
.ap-print h2 { font-size: 13pt; line-height: 1.35; margin: 16pt 0 6pt; font-weight: 600; break-after: avoid; }
.ap-print p { margin: 0; text-align: justify; hyphens: auto; }
.ap-print .ap-print__section > p + p { text-indent: 1.5em; }
.ap-print__header { margin: 0 0 12pt; font: 8.5pt/1.45 var(--ap-print-sans); color: #333; }
.ap-print__header p { text-align: left; }
.ap-print__meta { margin-bottom: 3pt; }
.ap-print__legend-item + .ap-print__legend-item::before { content: ' · '; }

/* The book's pages: a hairline where a page began, its number in the left margin. */
.ap-print__pb { border-left: 0.5pt solid #777; margin: 0 1pt; }
.ap-print__page {
  position: absolute;
  left: -13mm;
  width: 9mm;
  text-align: right;
  text-indent: 0;
  font: 7.5pt/2.3 var(--ap-print-sans);
  color: #333;
}
.ap-print__page::before { content: 'p. '; }

/* Footnote markers and passage letters: numbers upright, letters italic, both superscript. */
.ap-print sup { line-height: 0; font-size: 0.68em; vertical-align: 0.55em; }
.ap-print__fn { font-family: var(--ap-print-sans); }
.ap-print__mark { font-style: italic; font-weight: 700; margin-left: 0.08em; }

/* Passages: the underline's shape names the tag. Nested passages sit lower. */
.ap-pm {
  text-decoration-line: underline;
  text-decoration-thickness: 0.075em;
  text-decoration-skip-ink: none;
  text-underline-offset: 0.2em;
}
.ap-pm--sourced { text-decoration-style: solid; text-decoration-color: #1f6a36; }
.ap-pm--contested { text-decoration-style: wavy; text-decoration-color: #9a4400; text-decoration-thickness: 0.06em; }
.ap-pm--interpretive { text-decoration-style: dashed; text-decoration-color: #3f3aa8; }
.ap-pm--problem { text-decoration-style: double; text-decoration-color: #a3231c; text-decoration-thickness: 0.07em; }
.ap-pm--comment { text-decoration-style: dotted; text-decoration-color: #5e4c00; text-decoration-thickness: 0.12em; }
.ap-pm--d2 { text-underline-offset: 0.42em; }
.ap-pm--d3 { text-underline-offset: 0.64em; }
.ap-pm--d4 { text-underline-offset: 0.86em; }

/* The apparatus after each section. */
.ap-print__apparatus { margin: 10pt 0 14pt; padding-top: 5pt; border-top: 0.5pt solid #000; font-size: 8.8pt; line-height: 1.45; }
.ap-print__apparatus h3 { font: 600 8pt/1.3 var(--ap-print-sans); text-transform: uppercase; letter-spacing: 0.06em; margin: 0 0 5pt; break-after: avoid; }
.ap-print__apparatus ol { list-style: none; margin: 0; padding: 0; }
.ap-print__entry { display: grid; grid-template-columns: 2.2em 1fr; margin: 0 0 5pt; break-inside: avoid; }
.ap-print__label { font-style: italic; font-weight: 700; }
.ap-print__entry p { text-align: left; hyphens: manual; }
.ap-print__facts { font-family: var(--ap-print-sans); font-size: 7.8pt; line-height: 1.8; color: #222; }
.ap-print__tag { font-weight: 700; text-underline-offset: 0.15em; }
.ap-print__passage { font-style: italic; }
.ap-print__replies { margin: 2pt 0 0; padding: 0 0 0 1em; list-style: '– '; }

/* The chapter's footnotes. */
.ap-print__notes { list-style: none; margin: 0; padding: 0; font-size: 8.8pt; line-height: 1.5; }
.ap-print__note { padding-left: 2.6em; margin: 0 0 3pt; text-align: justify; }
.ap-print__note-n { position: absolute; left: 0; font-family: var(--ap-print-sans); font-size: 8pt; }

/* The standalone page shows the paper on screen. */
@media screen {
  .ap-print-page { background: #e8e6e1; margin: 0; padding: 24px 0; }
  .ap-print-page .ap-print { padding: 18mm 16mm 20mm 27mm; box-shadow: 0 1px 6px rgba(0, 0, 0, 0.2); }
}
`;
