import { buildClient, startServerProcess } from './server-process.ts';

/**
 * Playwright global setup: builds the client and starts one real server for the whole run.
 * Specs read its address and admin token from the environment (workers inherit it) and
 * create their own rooms, so they never share state.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  buildClient();
  const server = await startServerProcess();
  process.env.APPARATUS_E2E_URL = server.baseUrl;
  process.env.APPARATUS_E2E_ADMIN = server.adminToken;
  return () => server.stop();
}
