import { defineConfig, devices } from '@playwright/test'
import { baseURL, dataDir, pgPort, port, repoRoot } from './env'

// End-to-end tests against the real stack: `pnpm cli start` runs embedded PostgreSQL (its own data
// folder and port, reset on every run), migrates, seeds the demo team, and serves the production
// build of apps/web — so build it first (`turbo run build --filter=@costwise/web`).

const ci = Boolean(process.env.CI)

export default defineConfig({
  testDir: '.',
  outputDir: './.artifacts/results',
  fullyParallel: true,
  forbidOnly: ci,
  retries: ci ? 1 : 0,
  workers: ci ? 2 : undefined,
  reporter: 'list',
  // Upper bounds for states to be reached, not speed checks: generous, so a busy machine passes too.
  timeout: 120_000,
  expect: { timeout: 30_000 },
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
    // Stop `cli start` the way a person does (it drains, then stops PostgreSQL, which runs in its own process
    // group): a SIGKILL of the group would leave that PostgreSQL running.
    gracefulShutdown: { signal: 'SIGTERM', timeout: 30_000 },
    // Server logs stay out of the report; start-up errors (stderr) still show.
    stdout: 'ignore',
    stderr: 'pipe',
    env: {
      PORT: String(port),
      COSTWISE_DATA_DIR: dataDir,
      EMBEDDED_PG_PORT: String(pgPort),
      COSTWISE_RESET_DATA: '1',
    },
  },
})
