// `npm run soak`: the sync property test with thousands of sequences (the fake API) and
// a hundred against the real simulator. Not part of `npm test`; run before a release.
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    name: 'soak',
    environment: 'node',
    include: ['tests/integration/sync/property.test.ts'],
    testTimeout: 3_600_000,
    hookTimeout: 60_000,
    env: {
      SYNC_PROPERTY_RUNS: process.env.SYNC_PROPERTY_RUNS ?? '5000',
      SYNC_PROPERTY_SANDBOX_RUNS: process.env.SYNC_PROPERTY_SANDBOX_RUNS ?? '100',
    },
  },
})
