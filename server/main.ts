// `npm start`: the Apparatus server process. Configuration comes from the environment
// (see config.ts and docs/running-the-server.md); SIGTERM/SIGINT flush and exit within 10 s.
import { ROLES } from '../schema/index.ts';
import { loadConfig } from './config.ts';
import { createConsoleLogger } from './logger.ts';
import { revealPauseFromEnv } from './rounds/reveal-pause.ts';
import { startServer } from './start-server.ts';
import type { RunningServer } from './start-server.ts';

/** Hard limit for a shutdown: the process exits even if a flush hangs (D2 asks for < 10 s). */
const SHUTDOWN_DEADLINE_MS = 9500;

/** Prints what a user needs, on every start: terminal output is easily lost. */
function printBanner(server: RunningServer): void {
  const lines = [`Apparatus listening on ${server.url}`];
  const setupUrl = server.setupUrl();
  if (setupUrl) lines.push(`First start: open this link to create the administrator account (it works once): ${setupUrl}`);
  lines.push(
    server.adminTokenGenerated
      ? `Admin token (derived from DATA_DIR/server-secret; set ADMIN_TOKEN to choose one): ${server.adminToken}`
      : 'Admin token: from ADMIN_TOKEN',
  );
  const room = server.defaultRoom;
  if (room) {
    lines.push(`Invite links for room "${room.room}" (one per role):`);
    for (const role of ROLES) {
      const revoked = room.revokedRoles.includes(role) ? '  (revoked)' : '';
      lines.push(`  ${role.padEnd(10)} ${server.inviteUrl(room.room, room.invites[role])}${revoked}`);
    }
  }
  process.stdout.write(lines.join('\n') + '\n');
}

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  if (!config.ok) {
    process.stderr.write(`apparatus: ${config.error}\n`);
    process.exit(2);
  }
  const log = createConsoleLogger();
  const server = await startServer({ ...config.value, logger: log, roundHooks: revealPauseFromEnv(process.env, log) });
  printBanner(server);

  const shutdown = (signal: string, exitCode = 0) => {
    log.info('server.shutdown', { signal });
    setTimeout(() => {
      log.error('server.shutdown-timeout', { ms: SHUTDOWN_DEADLINE_MS });
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS).unref();
    server.close().then(
      () => process.exit(exitCode),
      (error: unknown) => {
        log.error('server.shutdown-failed', { error });
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
  // Bad bytes from clients are handled where they arrive; anything reaching here is a bug.
  // Store what can be stored, then exit non-zero rather than run on in an unknown state.
  process.on('uncaughtException', (error) => {
    log.error('server.uncaught-exception', { error });
    shutdown('uncaughtException', 1);
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`apparatus: failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
