import { defineConfig } from 'vitest/config'

// One Vitest run for the whole workspace. Packages that talk to PostgreSQL share one embedded
// cluster started by the db package's global setup; each test file copies a migrated template.
const dbSetup = new URL('./packages/db/src/testing/global-setup.ts', import.meta.url).pathname

export default defineConfig({
  test: {
    projects: [
      { test: { name: 'core', root: './packages/core', include: ['src/**/*.test.ts'] } },
      { test: { name: 'local-llm', root: './packages/local-llm', include: ['src/**/*.test.ts'], testTimeout: 30_000 } },
      {
        test: {
          name: 'db',
          root: './packages/db',
          include: ['src/**/*.test.ts'],
          globalSetup: [dbSetup],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'seed',
          root: './db',
          include: ['**/*.test.ts'],
          exclude: ['node_modules/**'],
          globalSetup: [dbSetup],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'api',
          root: './packages/api',
          include: ['src/**/*.test.ts'],
          globalSetup: [dbSetup],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'worker',
          root: './apps/worker',
          include: ['src/**/*.test.ts'],
          globalSetup: [dbSetup],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'cli',
          root: './apps/cli',
          include: ['src/**/*.test.ts'],
          globalSetup: [dbSetup],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      './apps/*/vitest.config.ts',
    ],
    coverage: {
      provider: 'v8',
      include: ['packages/core/src/**/*.ts'],
      exclude: ['**/*.test.ts', '**/index.ts'],
      thresholds: { lines: 80, functions: 80, statements: 80, branches: 75 },
      reporter: ['text-summary', 'text'],
    },
  },
})
