import { defineConfig, devices } from '@playwright/test'
import { fileURLToPath } from 'node:url'

// End-to-end tests against the real stack: `pnpm cli start` runs embedded PostgreSQL (its own data
// folder and port, reset on every run), migrates, seeds the demo team, and serves the production
// build of apps/web — so build it first (`turbo run build --filter=@costwise/web`).

const repoRoot = fileURLToPath(new URL('..', import.meta.url))
// E2E_PORT / E2E_DATA_DIR / E2E_PG_PORT let two suites run side by side on one machine.
const port = Number(process.env.E2E_PORT ?? 3100)
const baseURL = `http://127.0.0.1:${port}`
const ci = Boolean(process.env.CI)

export default defineConfig({
  testDir: '.',
  outputDir: './.artifacts/results',
  fullyParallel: true,
  forbidOnly: ci,
  retries: ci ? 1 : 0,
  workers: ci ? 2 : undefined,
  reporter: 'list',
  timeout: 30_000,
  expect: { timeout: 10_000 },
  use: {
    baseURL,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        ...devices['Desktop Chrome'],
        launchOptions: {
          executablePath: '/usr/bin/chromium',
          args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
          ],
        },
      },
    },
  ],
  webServer: {
    command: 'npx --yes pnpm@10 cli start',
    cwd: repoRoot,
    url: `${baseURL}/healthz`,
    timeout: 240_000,
    reuseExistingServer: false,
    // Server logs stay out of the report; start-up errors (stderr) still show.
    stdout: 'ignore',
    stderr: 'pipe',
    env: {
      PORT: String(port),
      COSTWISE_DATA_DIR: process.env.E2E_DATA_DIR ?? `${repoRoot}.data/e2e`,
      EMBEDDED_PG_PORT: process.env.E2E_PG_PORT ?? '54339',
      COSTWISE_RESET_DATA: '1',
    },
  },
})
