import { createApiKey } from '@costwise/api'
import { calculateCost, nanoToUsd, usdToNano } from '@costwise/core'
import { createDb, teams, type Db } from '@costwise/db'
import { startEmbeddedPostgres, type EmbeddedCluster } from '@costwise/db/embedded'
import { sql } from 'kysely'
import net from 'node:net'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  childRunning,
  isAlive,
  postmasterPid,
  startCli,
  until,
  requireWebBuild,
  type RunningStart,
} from '../testing/run-start'

// Crash tests with real processes: `cli start` (supervisor, web, worker, embedded PostgreSQL) under load from
// 8 clients that send usage events with unique idempotency keys and retry on network errors and 5xx, as a
// well-behaved client does. Whatever dies — the web process (kill -9), PostgreSQL (stopped, or kill -9) — the
// team's total must equal exactly the events that were acknowledged. No timing is asserted; timings are logged.

const EVENT = { model: 'gpt-4o-mini', inputTokens: 1_000, outputTokens: 200 }
const EVENT_COST = calculateCost(EVENT.model, {
  inputTokens: EVENT.inputTokens,
  outputTokens: EVENT.outputTokens,
}).totalNano

interface Load {
  acked: Set<string>
  statuses: Map<number, number>
  retryAfterOn503: Set<string | null>
  networkErrors: number
  done: Promise<void>
}

/** 8 clients, each sending `perClient` events; resolves when every event has been acknowledged. */
function startLoad(run: RunningStart, apiKey: string, prefix: string, perClient: number): Load {
  const load: Load = {
    acked: new Set(),
    statuses: new Map(),
    retryAfterOn503: new Set(),
    networkErrors: 0,
    done: Promise.resolve(),
  }
  const client = async (c: number) => {
    for (let i = 0; i < perClient; i++) {
      const idempotencyKey = `${prefix}-${c}-${i}`
      for (;;) {
        let res: Response
        let text: string
        try {
          res = await fetch(`${run.url}/api/usage/track`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
            body: JSON.stringify({ ...EVENT, idempotencyKey }),
            signal: AbortSignal.timeout(60_000),
          })
          text = await res.text()
        } catch {
          // Refused, reset, or cut mid-answer: unknown whether it was recorded, so send it again (same key).
          load.networkErrors++
          await new Promise((r) => setTimeout(r, 50))
          continue
        }
        load.statuses.set(res.status, (load.statuses.get(res.status) ?? 0) + 1)
        if (res.status === 503) load.retryAfterOn503.add(res.headers.get('retry-after'))
        if (res.status >= 500) {
          expect(text, 'a 5xx never carries a stack').not.toMatch(/\n\s+at /)
          await new Promise((r) => setTimeout(r, 50))
          continue
        }
        expect(res.status, text).toBe(200)
        load.acked.add(idempotencyKey)
        break
      }
    }
  }
  load.done = Promise.all(Array.from({ length: 8 }, (_, c) => client(c))).then(() => {})
  return load
}

/** Writes a raw HTTP request (head, then body pieces while the socket takes them); resolves with what came back. */
function rawHttp(port: number, head: string, pieces: string[] = []): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1')
    let received = ''
    socket.on('data', (d) => (received += d.toString('utf8')))
    socket.on('error', () => resolve(received)) // reset after the answer: the server cut the upload
    socket.on('close', () => resolve(received))
    socket.on('connect', async () => {
      socket.write(head)
      for (const piece of pieces) {
        if (socket.destroyed || received) break
        if (!socket.write(piece)) await new Promise((r) => socket.once('drain', r))
      }
      if (!received) setTimeout(() => socket.end(), 0)
    })
    socket.setTimeout(60_000, () => reject(new Error('no answer')))
  })
}

async function health(run: RunningStart): Promise<{ status: number; db?: string; retryAfter: string | null } | null> {
  try {
    const res = await fetch(`${run.url}/healthz`, { signal: AbortSignal.timeout(10_000) })
    const body = (await res.json()) as { db?: string }
    return { status: res.status, db: body.db, retryAfter: res.headers.get('retry-after') }
  } catch {
    return null
  }
}

/** Starts the cluster again on its data folder; after a kill -9 its old backends may take a moment to go. */
async function restartPostgres(run: RunningStart): Promise<EmbeddedCluster> {
  return until(
    'PostgreSQL to start again',
    () => startEmbeddedPostgres({ dataDir: path.join(run.dataDir, 'postgres'), port: run.pgPort }).catch(() => null),
    120_000,
  )
}

describe('cli start under faults', () => {
  beforeAll(requireWebBuild)
  let run: RunningStart
  let db: Db
  let teamId: string
  let apiKey: string
  const ourPostgres: EmbeddedCluster[] = []

  /** Rows, distinct keys and exact total of the team's usage. */
  const stored = async () => {
    const rows = await db
      .selectFrom('token_usage_logs')
      .select(['idempotency_key'])
      .where('team_id', '=', teamId)
      .execute()
    const total = await sql<{
      total: string
    }>`select coalesce(sum(cost_usd), 0)::text as total from token_usage_logs where team_id = ${teamId}`.execute(db)
    return { rows: rows.length, keys: new Set(rows.map((r) => r.idempotency_key)), totalUsd: total.rows[0]!.total }
  }
  const expectExactly = async (acked: number) => {
    const s = await stored()
    expect(s.rows).toBe(acked)
    expect(s.keys.size).toBe(acked)
    // The exact decimal sum from PostgreSQL equals acknowledged events × the price of one.
    expect(nanoToUsd(usdToNano(s.totalUsd))).toBe(nanoToUsd(EVENT_COST * BigInt(acked)))
    return s
  }

  beforeAll(async () => {
    run = await startCli({ env: { RATE_LIMIT_PER_MINUTE: '10000000' } })
    db = createDb(run.databaseUrl, { max: 2, onIdleError: () => {} })
    const team = await teams.insertTeam(db, { slug: 'crash-team', name: 'Crash' })
    teamId = team.id
    apiKey = (await createApiKey(db, { teamId, name: 'load' })).key
  }, 240_000)

  afterAll(async () => {
    await db?.destroy()
    if (run && run.child.exitCode === null && run.child.signalCode === null) {
      process.kill(run.child.pid!, 'SIGTERM')
      await run.exited
    }
    for (const pg of ourPostgres) await pg.stop()
  }, 120_000)

  it('a body over the limit is refused with 413 from its Content-Length, before it is sent and before authentication', async () => {
    // Headers only, announcing 100 MB, no key: the answer comes without the server waiting for (or reading) a byte.
    const head = await rawHttp(
      run.port,
      'POST /api/usage/track HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 104857600\r\n\r\n',
    )
    expect(head).toMatch(/^HTTP\/1\.1 413 /)
    expect(head).toContain('"code":"INPUT_TOO_LARGE"')
    // A chunked body is counted as it streams and cut at the limit (4 MiB by default).
    const chunk = 'x'.repeat(64 * 1024)
    const chunked = await rawHttp(
      run.port,
      'POST /api/trpc/usage.track HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n',
      Array.from({ length: 80 }, () => `${chunk.length.toString(16)}\r\n${chunk}\r\n`),
    )
    expect(chunked).toMatch(/^HTTP\/1\.1 413 /)
    // Under the limit, the same route answers as usual (here: 401, no key).
    const small = await fetch(`${run.url}/api/usage/track`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    })
    expect(small.status).toBe(401)
  }, 120_000)

  it('kill -9 of the web process under load: the supervisor restarts it and the total equals the acknowledged events', async () => {
    const web = childRunning(run, 'build/node/server.js')!
    const load = startLoad(run, apiKey, 'web', 60)
    await until('some events acknowledged', () => load.acked.size >= 80)
    const killedAt = Date.now()
    process.kill(web.pid, 'SIGKILL')
    const back = await until('a new web process answering /healthz', async () => {
      const next = childRunning(run, 'build/node/server.js')
      return next && next.pid !== web.pid && (await health(run))?.status === 200 ? next : null
    })
    console.log(
      `[crash] web back ${((Date.now() - killedAt) / 1000).toFixed(1)} s after kill -9 (pid ${web.pid} → ${back.pid}); network errors seen by clients: ${load.networkErrors}`,
    )
    await load.done
    expect(run.output()).toMatch(/The web stopped unexpectedly \(killed by SIGKILL\); restarting it in \d+ ms/)
    expect(run.output()).toMatch(/The web was restarted \(pid \d+, restart #1\)/)
    expect(load.acked.size).toBe(480)
    await expectExactly(480)
  }, 300_000)

  it('PostgreSQL stopped and started under load: 503 with Retry-After meanwhile, /healthz says so, the app recovers by itself', async () => {
    const web = childRunning(run, 'build/node/server.js')!
    const before = (await stored()).rows
    const load = startLoad(run, apiKey, 'pg-stop', 60)
    await until('some events acknowledged', () => load.acked.size >= 40)
    const pg = postmasterPid(run.dataDir)!
    process.kill(pg, 'SIGINT') // fast shutdown: what `pg_ctl stop` does
    const down = await until('/healthz to report the database down', async () => {
      const h = await health(run)
      return h?.status === 503 ? h : null
    })
    expect(down).toEqual({ status: 503, db: 'down', retryAfter: '5' })
    await until('callers to get a 503', () => (load.statuses.get(503) ?? 0) > 0)
    await until('the postmaster to exit', () => !isAlive(pg))

    ourPostgres.push(await restartPostgres(run))
    await until('/healthz to report the database up', async () => (await health(run))?.status === 200)
    await load.done
    console.log(
      `[crash] PostgreSQL stop/start: statuses ${JSON.stringify(Object.fromEntries(load.statuses))}, network errors ${load.networkErrors}`,
    )
    expect(load.statuses.has(500)).toBe(false)
    expect([...load.retryAfterOn503]).toEqual(['5'])
    // Same web process: recovered without a restart.
    expect(childRunning(run, 'build/node/server.js')?.pid).toBe(web.pid)
    await expectExactly(before + 480)
  }, 300_000)

  it('kill -9 of PostgreSQL under load: every acknowledged event is stored (durable commits)', async () => {
    const before = (await stored()).rows
    const load = startLoad(run, apiKey, 'pg-kill', 60)
    await until('some events acknowledged', () => load.acked.size >= 40)
    const current = ourPostgres.pop()!
    process.kill(current.pid, 'SIGKILL')
    await current.exited
    const ackedAtCrash = [...load.acked]
    ourPostgres.push(await restartPostgres(run))
    // Every event acknowledged before the crash survived it.
    const keys = (await stored()).keys
    const lost = ackedAtCrash.filter((k) => !keys.has(k))
    console.log(
      `[crash] PostgreSQL kill -9: ${ackedAtCrash.length} acknowledged before the crash, ${lost.length} of them lost`,
    )
    expect(lost).toEqual([])
    await load.done
    expect(load.statuses.has(500)).toBe(false)
    await expectExactly(before + 480)
  }, 300_000)

  it('still stops cleanly afterwards (exit 0)', async () => {
    process.kill(run.child.pid!, 'SIGTERM')
    expect(await run.exited).toEqual({ code: 0, signal: null })
  }, 120_000)
})
