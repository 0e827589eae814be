import { API_KEY_SCOPES } from '@costwise/core'
import { createApiKey, revokeApiKey } from '@costwise/api'
import { poolOf, teams, type Db } from '@costwise/db'
import { createTestDb, type TestDb } from '@costwise/db/test-db'
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

// Two real web processes (build/node/server.js, the compiled production build) against one database: what one process caches, the
// other's changes must reach. Nothing here is mocked; the processes learn of changes only from PostgreSQL.

const webDir = fileURLToPath(new URL('.', import.meta.url))
const serverJs = fileURLToPath(new URL('./build/node/server.js', import.meta.url))

let t: TestDb
let db: Db
let teamId: string
let key: { key: string; record: { id: string } }
const servers: { child: ChildProcess; url: string; output: string[] }[] = []

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number }
      probe.close(() => resolve(port))
    })
  })
}

async function startWeb(databaseUrl: string) {
  const port = await freePort()
  const child = spawn(process.execPath, ['--conditions=built', serverJs], {
    cwd: webDir,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      HOST: '127.0.0.1',
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      WEB_CONCURRENCY: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const output: string[] = []
  child.stdout!.on('data', (d: Buffer) => output.push(d.toString()))
  child.stderr!.on('data', (d: Buffer) => output.push(d.toString()))
  const server = { child, url: `http://127.0.0.1:${port}`, output }
  servers.push(server)
  // Ready when it answers (waits on the state; the bound only stops a hung start).
  const deadline = Date.now() + 120_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`web process exited (${child.exitCode}): ${output.join('')}`)
    if (
      (await fetch(`${server.url}/healthz`).then(
        (r) => r.status,
        () => 0,
      )) === 200
    )
      break
    if (Date.now() > deadline) throw new Error(`web process did not answer /healthz: ${output.join('')}`)
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  return server
}

const track = (url: string, apiKey: string, body: Record<string, unknown>) =>
  fetch(`${url}/api/usage/track`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
    body: JSON.stringify(body),
  }).then(async (r) => ({ status: r.status, json: (await r.json()) as Record<string, any> }))

beforeAll(async () => {
  if (!existsSync(`${webDir}build/server/index.js`) || !existsSync(serverJs))
    throw new Error('Build the web app first: npx pnpm@10 exec turbo run build --filter=@costwise/web')
  t = await createTestDb()
  db = t.db
  const team = await teams.insertTeam(db, { slug: 'two-procs', name: 'Two processes' })
  teamId = team.id
  key = await createApiKey(db, { teamId, name: 'shared', scopes: [...API_KEY_SCOPES] })
  await Promise.all([startWeb(t.url), startWeb(t.url)])
})

afterAll(async () => {
  await Promise.all(
    servers.map(({ child }) =>
      child.exitCode !== null
        ? Promise.resolve()
        : new Promise((resolve) => {
            child.once('exit', resolve)
            child.kill('SIGTERM')
          }),
    ),
  )
  await t?.destroy()
})

describe('two web processes against one database', () => {
  it('both listen for cache changes', async () => {
    await expect
      .poll(async () => {
        const { rows } = await poolOf(db).query<{ n: number }>(
          `select count(*)::int as n from pg_stat_activity where datname = current_database() and application_name = 'costwise-cache-listener'`,
        )
        return rows[0]!.n
      })
      .toBe(2)
  })

  it('a revoked key is refused by both processes (each had it cached)', async () => {
    const [a, b] = servers as [(typeof servers)[0], (typeof servers)[0]]
    const temp = await createApiKey(db, { teamId, name: 'to revoke' })
    const event = { model: 'gpt-4o-mini', inputTokens: 10, outputTokens: 1 }
    expect((await track(a.url, temp.key, event)).status).toBe(200)
    expect((await track(b.url, temp.key, event)).status).toBe(200)
    // Revoked by a third process (this test, as the CLI or an admin's page would): A and B hear of it only from
    // PostgreSQL, and each holds the key in its cache for a minute otherwise.
    await revokeApiKey(db, { teamId, id: temp.record.id, actor: { kind: 'system' } })
    await expect.poll(async () => (await track(a.url, temp.key, event)).status).toBe(401)
    await expect.poll(async () => (await track(b.url, temp.key, event)).status).toBe(401)
  })

  it('a price changed through one process is used by the other', async () => {
    const [a, b] = servers as [(typeof servers)[0], (typeof servers)[0]]
    const event = { model: 'gpt-4o-mini', inputTokens: 1000, outputTokens: 0 }
    const before = await track(b.url, key.key, event)
    expect(before.status).toBe(200)
    expect(before.json.costUsd).not.toBe('1')
    // $1,000 per million input tokens: 1,000 tokens cost exactly $1.
    const added = await fetch(`${a.url}/api/prices/custom`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key.key}` },
      body: JSON.stringify({
        model: 'gpt-4o-mini',
        effectiveFrom: '2000-01-01',
        inputPerMTok: '1000',
        outputPerMTok: '1000',
      }),
    })
    expect(added.status).toBe(200)
    await expect.poll(async () => (await track(b.url, key.key, event)).json.costUsd).toBe('1')
    expect((await track(a.url, key.key, event)).json.costUsd).toBe('1')
  })
})
