import { createReadStream, existsSync, statSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import path from 'node:path';
import { escapeHtml, setCommonHeaders, setHtmlHeaders } from './responses.ts';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** Returns the file under `root` that a URL path names, or null for anything outside or odd. */
export function resolveStaticPath(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\') || decoded.split('/').some((part) => part === '..' || part.startsWith('.'))) return null;
  const file = path.resolve(root, '.' + (decoded.endsWith('/') ? decoded + 'index.html' : decoded));
  if (file !== root && !file.startsWith(root + path.sep)) return null;
  return file;
}

/** Streams a file with its content type (HTML gets the CSP); returns false if it is not a file. */
export function sendStaticFile(res: ServerResponse, file: string, headOnly: boolean): boolean {
  if (!existsSync(file)) return false;
  const stat = statSync(file);
  if (!stat.isFile()) return false;
  const type = contentTypes[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
  if (type.startsWith('text/html')) setHtmlHeaders(res);
  else setCommonHeaders(res);
  res.writeHead(200, { 'Content-Type': type, 'Content-Length': stat.size, 'Cache-Control': 'no-cache' });
  if (headOnly) {
    res.end();
    return true;
  }
  createReadStream(file).on('error', () => res.destroy()).pipe(res);
  return true;
}

/** The page served in place of the client while `npm run build` has not produced it. */
export function placeholderPage(): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Apparatus</title></head>
<body><h1>Apparatus</h1>
<p>The server is running, but the browser client has not been built yet.</p>
<p>Run <code>${escapeHtml('npm run build')}</code> (or <code>npm start</code>, which builds it) and reload.</p>
</body></html>
`;
}

/** Serves the client shell (`index.html`), or the placeholder page when it is missing. */
export function sendClientShell(res: ServerResponse, staticDir: string, headOnly: boolean): void {
  if (sendStaticFile(res, path.join(staticDir, 'index.html'), headOnly)) return;
  const html = placeholderPage();
  setHtmlHeaders(res);
  res.writeHead(200, { 'Content-Length': Buffer.byteLength(html) });
  res.end(headOnly ? undefined : html);
}
