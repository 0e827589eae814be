import { defineConfig } from 'vitest/config'

// One Vitest run for the whole workspace. Packages that talk to PostgreSQL share one embedded
// cluster started by the db package's global setup; each test file copies a migrated template.
// Timeouts are upper bounds for work to finish on a busy machine (CI must pass with both cores taken by
// other work), not speed checks: speed is measured in bench/.
const timeouts = { testTimeout: 180_000, hookTimeout: 180_000 }
const dbSetup = new URL('./packages/db/src/testing/global-setup.ts', import.meta.url).pathname

export default defineConfig({
  test: {
    projects: [
      { test: { name: 'core', root: './packages/core', include: ['src/**/*.test.ts'], ...timeouts } },
      { test: { name: 'local-llm', root: './packages/local-llm', include: ['src/**/*.test.ts'], ...timeouts } },
      {
        test: {
          name: 'db',
          root: './packages/db',
          include: ['src/**/*.test.ts'],
          globalSetup: [dbSetup],
          ...timeouts,
        },
      },
      {
        test: {
          name: 'seed',
          root: './db',
          include: ['**/*.test.ts'],
          exclude: ['node_modules/**'],
          globalSetup: [dbSetup],
          ...timeouts,
        },
      },
      {
        test: {
          name: 'api',
          root: './packages/api',
          include: ['src/**/*.test.ts'],
          globalSetup: [dbSetup],
          ...timeouts,
        },
      },
      {
        test: {
          name: 'worker',
          root: './apps/worker',
          include: ['src/**/*.test.ts'],
          globalSetup: [dbSetup],
          ...timeouts,
        },
      },
      {
        test: {
          name: 'cli',
          root: './apps/cli',
          include: ['src/**/*.test.ts'],
          globalSetup: [dbSetup],
          ...timeouts,
        },
      },
      {
        // Real web processes (apps/web/server.ts, production build) against one database.
        test: {
          name: 'web-processes',
          root: './apps/web',
          include: ['*.test.ts'],
          globalSetup: [dbSetup],
          ...timeouts,
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
