import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { hashPassword } from '@costwise/api'
import { migrateToLatest, teams } from '@costwise/db'
import { startLocalLlm, type LocalLlmServer } from '@costwise/local-llm'
import { DEMO_LOGIN, seedDemo } from '@costwise/migrations/seed'
import { openDatabase } from '../database'
import { artefactDir, repoRoot, type CliEnv } from '../env'

// tsx as a loader in the child itself (not tsx's CLI, which adds a second process that a kill would orphan).
const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href

function launch(name: string, script: string, cwd: string, env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(process.execPath, ['--import', tsxLoader, script], { cwd, env, stdio: ['ignore', 'inherit', 'inherit'] })
  child.on('error', (error) => console.error(`[${name}] failed to start: ${error.message}`))
  return child
}

async function waitForHealth(url: string, child: ChildProcess, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`The web server exited (code ${child.exitCode}) before it was ready.`)
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
  const webDir = path.join(repoRoot, 'apps/web')
  if (!existsSync(path.join(webDir, 'build/server/index.js'))) {
    throw new Error('The web app is not built yet. Run: npx pnpm@10 build   (npm start does this for you)')
  }

  const database = await openDatabase(env, { reset: env.COSTWISE_RESET_DATA, log })
  const applied = await migrateToLatest(database.db, database.url)
  log(applied.length ? `Applied migrations: ${applied.join(', ')}` : 'Database schema is up to date.')

  if (!env.COSTWISE_SKIP_SEED && !(await teams.findTeamBySlug(database.db, 'demo'))) {
    log('Seeding the demo team (90 days of usage)…')
    const seeded = await seedDemo(database.db, { hashPassword })
    log(`Seeded ${seeded.usageRows.toLocaleString('en-US')} usage rows for team "demo".`)
  }

  // The Prompt Lab's model provider: the one configured, else the local demo server (OpenAI-compatible,
  // models costwise-demo, -mini, -reasoner) so a newcomer can run prompts without an API key.
  let localLlm: LocalLlmServer | null = null
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
  const worker = launch('worker', path.join(repoRoot, 'apps/worker/src/main.ts'), repoRoot, childEnv)
  const web = launch('web', path.join(webDir, 'server.ts'), webDir, childEnv)
  const children = [worker, web]

  let stopping = false
  const stop = async (code: number) => {
    if (stopping) return
    stopping = true
    for (const child of children) if (child.exitCode === null) child.kill('SIGTERM')
    await Promise.all(
      children.map((c) => (c.exitCode === null ? new Promise((r) => c.once('exit', r)) : Promise.resolve())),
    )
    await localLlm?.stop().catch(() => {})
    await database.close().catch(() => {})
    process.exit(code)
  }
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void stop(0))
  for (const [name, child] of [['worker', worker], ['web', web]] as const) {
    child.once('exit', (code) => {
      if (!stopping) {
        console.error(`[costwise] The ${name} stopped unexpectedly (exit code ${code}); shutting down.`)
        void stop(1)
      }
    })
  }

  const local = `http://localhost:${env.PORT}`
  await waitForHealth(`http://127.0.0.1:${env.PORT}/healthz`, web)
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
