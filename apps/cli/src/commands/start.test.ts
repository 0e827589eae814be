import { rmSync } from 'node:fs'
import { createApiKey } from '@costwise/api'
import { createDb, teams } from '@costwise/db'
import { portIsFree } from '@costwise/db/testing/ports'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  childRunning,
  isAlive,
  postmasterPid,
  startCli,
  startProcesses,
  tempDataDir,
  until,
  requireWebBuild,
  type RunningStart,
} from '../testing/run-start'

// `cli start` stopped each way a person or a process manager stops it: Ctrl-C / SIGTERM to the whole process
// group, or to the top process alone. Each time: a response in flight is completed, exit code 0, no stack trace,
// no process left behind, ports free. One data folder for all four (initdb once).

const dataDir = tempDataDir()
let current: RunningStart | null = null
// A failed test must not leave its processes behind for the next one.
afterEach(async () => {
  if (current && current.child.exitCode === null && current.child.signalCode === null) {
    process.kill(-current.child.pid!, 'SIGKILL')
    const pg = postmasterPid(current.dataDir)
    if (pg) process.kill(pg, 'SIGQUIT')
    await current.exited
  }
  current = null
})
afterAll(() => rmSync(dataDir, { recursive: true, force: true }))

const ways = [
  { signal: 'SIGINT', target: 'group' },
  { signal: 'SIGTERM', target: 'group' },
  { signal: 'SIGINT', target: 'top' },
  { signal: 'SIGTERM', target: 'top' },
] as const

describe('cli start shuts down cleanly', () => {
  beforeAll(requireWebBuild)
  it.each(ways)(
    '$signal to the $target: in-flight request answered, exit 0, no orphans, ports free',
    async ({ signal, target }) => {
      const run = await startCli({ dataDir })
      current = run
      const processes = startProcesses(run)
      // cli, web, worker, postmaster (+ its backends)
      expect(processes.length).toBeGreaterThanOrEqual(4)
      expect(childRunning(run, 'build/node/server.js')).toBeDefined()
      expect(childRunning(run, 'worker/build/main.js')).toBeDefined()

      // A request in flight when the signal arrives: a CSV export of 20,000 rows, of which we have read the first
      // chunk only (so the server is mid-response, held back by our slow reading).
      const db = createDb(run.databaseUrl, { max: 1 })
      const team = await teams.insertTeam(db, { slug: `shutdown-${signal}-${target}`.toLowerCase(), name: 'Shutdown' })
      const apiKey = (await createApiKey(db, { teamId: team.id, name: 'export' })).key
      await db.destroy()
      const headers = { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` }
      for (let b = 0; b < 20; b++) {
        const events = Array.from({ length: 1000 }, () => ({ model: 'gpt-4o-mini', inputTokens: 10, outputTokens: 2 }))
        const res = await fetch(`${run.url}/api/usage/track/batch`, {
          method: 'POST',
          headers,
          body: JSON.stringify({ events }),
        })
        expect(res.status).toBe(200)
      }
      const exporting = await fetch(`${run.url}/api/usage/export?format=csv`, { headers })
      expect(exporting.status).toBe(200)
      const reader = exporting.body!.getReader()
      const first = await reader.read()
      expect(first.done).toBe(false)

      const began = Date.now()
      process.kill(target === 'group' ? -run.child.pid! : run.child.pid!, signal)
      // The rest of the export still arrives, complete.
      let text = Buffer.from(first.value!).toString('utf8')
      for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read())
        text += Buffer.from(chunk.value).toString('utf8')
      expect(text.trim().split('\n')).toHaveLength(20_001)
      const { code, signal: killedBy } = await run.exited
      const seconds = (Date.now() - began) / 1000
      console.log(`[shutdown] ${signal} to the ${target}: exit ${code} in ${seconds.toFixed(1)} s`)

      expect({ code, killedBy }).toEqual({ code: 0, killedBy: null })
      expect(run.output()).not.toMatch(/^\s+at /m)
      expect(run.output()).toContain('Stopped in')
      await until('every process of cli start to be gone', () => processes.every((p) => !isAlive(p.pid)), 30_000)
      expect(await portIsFree(run.port)).toBe(true)
      expect(await portIsFree(run.pgPort)).toBe(true)
    },
    240_000,
  )
})
