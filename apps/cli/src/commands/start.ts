import { existsSync } from 'node:fs'
import path from 'node:path'
import { hashPassword } from '@costwise/api'
import { migrateToLatest, teams } from '@costwise/db'
import { handleShutdownSignalsYourself } from '@costwise/db/embedded'
import { startLocalLlm, type LocalLlmServer } from '@costwise/local-llm'
import { DEMO_LOGIN, seedDemo } from '@costwise/seed'
import { openDatabase, type Database } from '../database'
import { artefactDir, repoRoot, type CliEnv } from '../env'
import { supervise, type Supervised } from '../supervisor'

// Web and worker run their compiled JavaScript (`turbo run build`, scripts/build-js.mjs) under plain node, no
// TypeScript loader: `--conditions=built` makes @costwise/* packages resolve to their build/ folders.
const BUILT = '--conditions=built'

/** How long web and worker get to drain on Ctrl-C / SIGTERM before they are killed. */
const DRAIN_MS = 10_000

async function waitForHealth(url: string, web: Supervised, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    const child = web.child
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`The web server exited (${child.signalCode ?? `code ${child.exitCode}`}) before it was ready.`)
    }
    try {
      const res = await fetch(url)
      if (res.ok) return
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250))
  }
  throw new Error(`The web server did not answer ${url} within ${timeoutMs / 1000}s.`)
}

/** Everything a newcomer needs: PostgreSQL, migrations, the demo team, the worker and the web app. */
export async function start(env: CliEnv): Promise<void> {
  const t0 = Date.now()
  const log = (line: string) => console.log(`[costwise] ${line}`)
  // Shutdown is ours: drain web and worker first, PostgreSQL last (see below).
  handleShutdownSignalsYourself()
  let database: Database | undefined
  let opening: Promise<Database> | undefined
  let localLlm: LocalLlmServer | null = null
  let web: Supervised | undefined
  let worker: Supervised | undefined

  // Ctrl-C or SIGTERM (to our process group or to this process alone): web stops taking requests and finishes
  // those in flight, the worker finishes or releases its jobs, then the model server, then PostgreSQL. A second
  // signal kills what is left.
  let stopping: Promise<void> | null = null
  const stop = (code: number, reason: string): Promise<void> => {
    stopping ??= (async () => {
      const began = Date.now()
      log(`${reason}: stopping (press Ctrl+C again to force)…`)
      await Promise.all([web?.stop(DRAIN_MS + 5_000), worker?.stop(DRAIN_MS + 5_000)])
      await localLlm?.stop().catch(() => {})
      // PostgreSQL last. (A signal during start-up waits for it to be up, so it can be stopped, not orphaned.)
      database ??= await opening?.catch(() => undefined)
      await database
        ?.close()
        .catch((error: unknown) =>
          log(`Closing the database failed: ${error instanceof Error ? error.message : error}`),
        )
      log(`Stopped in ${((Date.now() - began) / 1000).toFixed(1)} s.`)
      process.exit(code)
    })()
    return stopping
  }
  const force = async (signal: string) => {
    log(`${signal} again: forcing the stop.`)
    web?.kill()
    worker?.kill()
    await database?.cluster?.stop({ timeoutMs: 2_000 }).catch(() => {})
    process.exit(1)
  }
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => void (stopping ? force(signal) : stop(0, signal)))
  }

  const webDir = path.join(repoRoot, 'apps/web')
  const webMain = path.join(webDir, 'build/node/cluster.js')
  const workerMain = path.join(repoRoot, 'apps/worker/build/main.js')
  for (const built of [path.join(webDir, 'build/server/index.js'), webMain, workerMain]) {
    if (!existsSync(built)) {
      throw new Error(
        `${path.relative(repoRoot, built)} is not built yet. Run: npx pnpm@10 build   (npm start does this for you)`,
      )
    }
  }

  opening = openDatabase(env, { reset: env.COSTWISE_RESET_DATA, log })
  database = await opening
  const applied = await migrateToLatest(database.db, database.url)
  log(applied.length ? `Applied migrations: ${applied.join(', ')}` : 'Database schema is up to date.')

  if (!env.COSTWISE_SKIP_SEED && !(await teams.findTeamBySlug(database.db, 'demo'))) {
    log('Seeding the demo team (90 days of usage)…')
    const seeded = await seedDemo(database.db, { hashPassword })
    log(`Seeded ${seeded.usageRows.toLocaleString('en-US')} usage rows for team "demo".`)
  }

  // The Prompt Lab's model provider: the one configured, else the local demo server (OpenAI-compatible,
  // models costwise-demo, -mini, -reasoner) so a newcomer can run prompts without an API key.
  let provider: { apiKey: string; baseURL?: string }
  if (env.OPENAI_API_KEY) {
    provider = { apiKey: env.OPENAI_API_KEY, baseURL: env.OPENAI_BASE_URL }
  } else {
    localLlm = await startLocalLlm({ port: env.LOCAL_LLM_PORT, host: '127.0.0.1' })
    provider = { apiKey: 'costwise-local', baseURL: localLlm.url }
    log(`No OPENAI_API_KEY: the Prompt Lab uses the local demo model server at ${localLlm.url}`)
  }

  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    OPENAI_API_KEY: provider.apiKey,
    OPENAI_BASE_URL: provider.baseURL ?? '',
    DATABASE_URL: database.url,
    PORT: String(env.PORT),
    HOST: env.HOST,
    NODE_ENV: 'production',
    LOG_LEVEL: env.LOG_LEVEL,
    WORKER_CONCURRENCY: String(env.WORKER_CONCURRENCY),
    // The worker writes generated reports here and the web app serves their downloads: one folder for both.
    ARTEFACT_DIR: artefactDir(env),
    APP_URL: env.APP_URL ?? `http://localhost:${env.PORT}`,
  }
  // Restarted with backoff when they die; the web only once it has been ready (a bad port or config would
  // otherwise crash-loop).
  let ready = false
  worker = supervise({ name: 'worker', args: [BUILT, workerMain], cwd: repoRoot, env: childEnv }, { log })
  web = supervise(
    { name: 'web', args: [BUILT, webMain], cwd: webDir, env: childEnv },
    { log, shouldRestart: () => ready },
  )

  try {
    await waitForHealth(`http://127.0.0.1:${env.PORT}/healthz`, web)
  } catch (error) {
    log(error instanceof Error ? error.message : String(error))
    await stop(1, 'Start-up failed')
    return
  }
  ready = true

  const local = `http://localhost:${env.PORT}`
  console.log(
    [
      '',
      `  Costwise is running at ${local}   (ready in ${((Date.now() - t0) / 1000).toFixed(1)}s)`,
      `  Log in as ${DEMO_LOGIN.email} / ${DEMO_LOGIN.password}   (team "demo")`,
      `  Database: ${database.cluster ? `embedded PostgreSQL on port ${env.EMBEDDED_PG_PORT}` : 'DATABASE_URL'}`,
      '  Press Ctrl+C to stop.',
      '',
    ].join('\n'),
  )
}
