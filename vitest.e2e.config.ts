import { defineConfig } from 'vitest/config';

/** `npm run test:e2e`: the journeys in a real Chromium against a real server on a fresh data folder. */
export default defineConfig({
  test: {
    include: ['e2e/**/*.spec.ts'],
    globalSetup: ['e2e/support/server.ts'],
    // One server and its demo data, journeys one after another (they share the demo communes).
    maxWorkers: 1,
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 240_000,
    env: { TZ: 'Asia/Ho_Chi_Minh' },
  },
});
