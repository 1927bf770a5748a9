import { defineConfig } from '@playwright/test';

// Debian's chromium: a test tool's own browser download cannot work on this machine.
export default defineConfig({
  testDir: 'tests/e2e',
  // Builds the client and starts one real server (temp DATA_DIR, free port); specs make their own rooms.
  globalSetup: './tests/e2e/support/global-setup.ts',
  workers: 1,
  timeout: 60_000,
  // Two cores shared with the server under test and Chromium: a loaded machine can take longer
  // than the default 5 s for a step; waiting longer never lets a wrong result pass.
  expect: { timeout: 10_000 },
  reporter: [['list']],
  outputDir: 'test-results',
  use: {
    viewport: { width: 1280, height: 720 },
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    },
  },
});
