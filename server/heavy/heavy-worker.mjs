// The entry of a heavy-work thread (heavy-work.ts) when the server runs from source. Plain
// JavaScript, so that it starts in any host: it registers the TypeScript loader (tsx), then loads
// the message loop (heavy-worker-loop.ts). The built server has its own dist/heavy-worker.mjs.
import { register } from 'tsx/esm/api';

register();
await import('./heavy-worker-loop.ts');
