import { rmSync } from 'node:fs'
import path from 'node:path'
import { createApiKey } from '@costwise/api'
import { createDb, teams } from '@costwise/db'
import { POSTMASTER_WATCHDOG, startEmbeddedPostgres } from '@costwise/db/embedded'
import { portIsFree } from '@costwise/db/testing/ports'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  isAlive,
  postmasterPid,
  processTree,
  requireWebBuild,
  startCli,
  startProcesses,
  tempDataDir,
  until,
  type RunningStart,
} from '../testing/run-start'

// `cli start` itself killed with -9: nothing can run in it any more, so nothing may depend on it. The web and the
// worker see their IPC channel close and drain; PostgreSQL's watchdog sees its pipe close and asks for a smart
// shutdown, so the cluster stops cleanly once they have closed their connections. And when the watchdog was
// killed too, the next `cli start` stops the abandoned cluster before starting. Waits are on states, bounded
// generously for a busy machine; timings are logged, not asserted.

const dataDir = tempDataDir()
const started: RunningStart[] = []
afterEach(async () => {
  // A failed test must not leave its processes behind.
  for (const run of started.splice(0)) {
    for (const p of startProcesses(run)) {
      try {
        process.kill(p.pid, 'SIGKILL')
      } catch {
        // already gone
      }
    }
  }
})
afterAll(() => rmSync(dataDir, { recursive: true, force: true }))

async function newTeamKey(run: RunningStart, slug: string): Promise<{ teamId: string; key: string }> {
  const db = createDb(run.databaseUrl, { max: 1 })
  try {
    const team = await teams.insertTeam(db, { slug, name: slug })
    return { teamId: team.id, key: (await createApiKey(db, { teamId: team.id, name: 'load' })).key }
  } finally {
    // Our own connection closed: the cluster's smart shutdown waits for every session, ours included.
    await db.destroy()
  }
}

/** 8 clients sending events with unique keys until the server is gone; the keys that got a 200. */
function loadUntilGone(run: RunningStart, key: string) {
  const acked: string[] = []
  let sent = 0
  const client = async (c: number) => {
    for (let i = 0; ; i++) {
      const idempotencyKey = `kill9-${c}-${i}`
      try {
        sent++
        const res = await fetch(`${run.url}/api/usage/track`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
          body: JSON.stringify({ model: 'gpt-4o-mini', inputTokens: 100, outputTokens: 20, idempotencyKey }),
          signal: AbortSignal.timeout(60_000),
        })
        await res.text()
        if (res.status === 200) acked.push(idempotencyKey)
        else if (res.status < 500) throw new Error(`HTTP ${res.status}`)
      } catch (error) {
        if (error instanceof Error && error.message.startsWith('HTTP')) throw error
        return // refused or cut: the server is going away
      }
    }
  }
  const done = Promise.all(Array.from({ length: 8 }, (_, c) => client(c)))
  return { acked, done, sent: () => sent }
}

describe('cli start killed with -9', () => {
  beforeAll(requireWebBuild)

  it('every child exits by itself, PostgreSQL shuts down cleanly, acknowledged events are all stored, ports free', async () => {
    const run = await startCli({ dataDir })
    started.push(run)
    const { teamId, key } = await newTeamKey(run, 'kill9-team')
    const processes = startProcesses(run)
    const names = processes.map((p) => p.cmdline)
    expect(names.some((c) => c.includes('build/node/server.js') || c.includes('build/node/cluster.js'))).toBe(true)
    expect(names.some((c) => c.includes('worker/build/main.js'))).toBe(true)
    expect(names.some((c) => c.includes(POSTMASTER_WATCHDOG))).toBe(true)
    const postmaster = postmasterPid(dataDir)!
    expect(postmaster).toBeGreaterThan(0)

    const load = loadUntilGone(run, key)
    await until('some events acknowledged', () => load.acked.length >= 40)
    const killedAt = Date.now()
    process.kill(run.child.pid!, 'SIGKILL')
    expect(await run.exited).toEqual({ code: null, signal: 'SIGKILL' })

    await until('PostgreSQL to stop', () => !isAlive(postmaster) || postmasterPid(dataDir) === null, 120_000)
    await until('every process cli start ran to be gone', () => processes.every((p) => !isAlive(p.pid)), 120_000)
    await until(
      'the ports to be free',
      async () => (await portIsFree(run.port)) && (await portIsFree(run.pgPort)),
      60_000,
    )
    console.log(
      `[kill -9] everything gone ${((Date.now() - killedAt) / 1000).toFixed(1)} s after kill -9 of cli start (${processes.length} processes)`,
    )
    await load.done
    expect(run.output()).not.toMatch(/^\s+at /m)

    // Started again on the same files: PostgreSQL reports a clean shutdown (no crash recovery), and every event
    // that got a 200 is stored, once.
    let log = ''
    const cluster = await startEmbeddedPostgres({
      dataDir: path.join(dataDir, 'postgres'),
      port: run.pgPort,
      onLog: (m) => (log += String(m)),
    })
    try {
      expect(log).toContain('database system was shut down at')
      expect(log).not.toContain('automatic recovery')
      const db = createDb(run.databaseUrl, { max: 1 })
      const rows = await db
        .selectFrom('token_usage_logs')
        .select('idempotency_key')
        .where('team_id', '=', teamId)
        .execute()
      await db.destroy()
      const stored = new Set(rows.map((r) => r.idempotency_key))
      console.log(`[kill -9] ${load.acked.length} events acknowledged, ${rows.length} stored, ${load.sent()} sent`)
      expect(rows.length).toBe(stored.size)
      expect(load.acked.filter((k) => !stored.has(k))).toEqual([])
    } finally {
      await cluster.stop()
    }
  }, 420_000)

  it('with its PostgreSQL watchdog killed too, the next cli start stops the abandoned cluster cleanly and starts', async () => {
    const first = await startCli({ dataDir })
    started.push(first)
    const postmaster = postmasterPid(dataDir)!
    const watchdog = processTree(first.child.pid!).find((p) => p.cmdline.includes(POSTMASTER_WATCHDOG))!
    expect(watchdog).toBeDefined()
    // Web, worker (and what they run): everything under cli start but the watchdog and PostgreSQL with its backends.
    const cluster = new Set(processTree(postmaster).map((p) => p.pid))
    const others = processTree(first.child.pid!).filter((p) => p.pid !== watchdog.pid && !cluster.has(p.pid))
    process.kill(watchdog.pid, 'SIGKILL')
    process.kill(first.child.pid!, 'SIGKILL')
    await first.exited
    await until('web and worker to be gone', () => others.every((p) => !isAlive(p.pid)), 120_000)
    // Nothing stops this one by itself: it is abandoned.
    expect(isAlive(postmaster)).toBe(true)

    const second = await startCli({ dataDir })
    started.push(second)
    expect(second.output()).toContain(
      `Stopped the embedded PostgreSQL (pid ${postmaster}) left running by a process that is gone.`,
    )
    expect(second.output()).toContain('Starting embedded PostgreSQL')
    expect(isAlive(postmaster)).toBe(false)
    expect(postmasterPid(dataDir)).not.toBe(postmaster)
    expect((await fetch(`${second.url}/healthz`)).status).toBe(200)

    process.kill(second.child.pid!, 'SIGTERM')
    expect(await second.exited).toEqual({ code: 0, signal: null })
  }, 480_000)
})
