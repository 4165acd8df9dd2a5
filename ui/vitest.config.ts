import { defineConfig } from 'vitest/config';

// Component tests drive a real Chromium (playwright-core) against a Vite server started by the
// test itself; vitest's own environment stays node.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
