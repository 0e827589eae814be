/**
 * CPU time (user + system) spent by processes during a phase, from /proc/<pid>/stat (Linux): the web server,
 * PostgreSQL (the postmaster and all its backends) and this process (the load generator).
 */
import { readdirSync, readFileSync } from 'node:fs'
import os from 'node:os'
import { postmasterPidOf } from '@costwise/db/embedded'

const TICK_MS = 10 // USER_HZ is 100 on Linux

function statOf(pid: number): { ppid: number; cpuMs: number } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    // fields[0] is state (field 3); utime, stime, cutime, cstime are fields 14–17. cutime/cstime hold the
    // children this process has reaped (the postmaster reaps backends that closed), so nothing is lost.
    const ticks = Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])
    return { ppid: Number(fields[1]), cpuMs: ticks * TICK_MS }
  } catch {
    return null
  }
}

/** The process and its live descendants. */
function tree(root: number): number[] {
  const children = new Map<number, number[]>()
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    const s = statOf(Number(entry))
    if (!s) continue
    const list = children.get(s.ppid) ?? []
    list.push(Number(entry))
    children.set(s.ppid, list)
  }
  const out: number[] = []
  const stack = [root]
  while (stack.length) {
    const pid = stack.pop()!
    out.push(pid)
    stack.push(...(children.get(pid) ?? []))
  }
  return out
}

export function postmasterPid(dataDir: string): number {
  const pid = postmasterPidOf(dataDir)
  if (pid === null) throw new Error(`No PostgreSQL is running on ${dataDir} (no postmaster.pid)`)
  return pid
}

/** CPU ms of each process group so far; backends that exit during a phase are not counted (pools keep theirs). */
export type Groups = Record<string, { pid: number; withChildren: boolean }>

export function cpuSnapshot(groups: Groups): Record<string, Map<number, number>> {
  const out: Record<string, Map<number, number>> = {}
  for (const [name, { pid: root, withChildren }] of Object.entries(groups)) {
    const m = new Map<number, number>()
    for (const pid of withChildren ? tree(root) : [root]) {
      const s = statOf(pid)
      if (s) m.set(pid, s.cpuMs)
    }
    out[name] = m
  }
  return out
}

export function cpuSince(before: Record<string, Map<number, number>>, groups: Groups): Record<string, number> {
  // Whole-group sums, not per-pid differences: a backend alive at the start that exits during the phase leaves
  // its CPU in the postmaster's cutime, so its start value must still be subtracted.
  const sum = (m: Map<number, number> | undefined) => [...(m?.values() ?? [])].reduce((s, v) => s + v, 0)
  const now = cpuSnapshot(groups)
  const out: Record<string, number> = {}
  for (const [name, m] of Object.entries(now)) out[name] = sum(m) - sum(before[name])
  return out
}

/** "server 2.1 ms, postgres 1.4 ms, load generator 0.3 ms of CPU per event (of 2 cores: 85 % busy)" */
export function describeCpu(used: Record<string, number>, units: number, seconds: number, unit = 'event'): string {
  const total = Object.values(used).reduce((s, v) => s + v, 0)
  const parts = Object.entries(used).map(([k, v]) => `${k} ${(v / units).toFixed(2)} ms`)
  const cores = os.cpus().length
  return `CPU per ${unit}: ${parts.join(', ')} (together ${Math.round((total / (seconds * 1000 * cores)) * 100)} % of the ${cores} cores)`
}

/** The usual three: the web server, PostgreSQL with its backends, and this process alone. */
export function benchGroups(serverPid: number | null, dataDir: string, selfLabel = 'load generator'): Groups {
  const groups: Groups = {}
  if (serverPid !== null) groups.server = { pid: serverPid, withChildren: false }
  groups.postgres = { pid: postmasterPid(dataDir), withChildren: true }
  groups[selfLabel] = { pid: process.pid, withChildren: false }
  return groups
}

/** Busy CPU ms of the whole machine so far (all cores), from /proc/stat. */
export function machineBusyMs(): number {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number)
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = fields
  return (user + nice + system + irq + softirq + steal) * TICK_MS
}

/** This process and everything it started (Postgres, the web server), in CPU ms. */
export function ownTreeCpuMs(): number {
  let total = 0
  for (const pid of tree(process.pid)) total += statOf(pid)?.cpuMs ?? 0
  return total
}

/**
 * Other people's load on the machine while a bench ran (the machine is shared): the machine's busy CPU minus
 * this bench's processes, as a share of all cores. Backends that exited early are counted as "others", so it
 * is an upper bound.
 */
export function noiseMeter() {
  const started = performance.now()
  const machine0 = machineBusyMs()
  const own0 = ownTreeCpuMs()
  return () => {
    const wall = performance.now() - started
    const capacity = wall * os.cpus().length
    const machine = machineBusyMs() - machine0
    const own = ownTreeCpuMs() - own0
    return {
      machinePct: (machine / capacity) * 100,
      ownPct: (own / capacity) * 100,
      othersPct: (Math.max(0, machine - own) / capacity) * 100,
    }
  }
}

/**
 * What CPU alone allows, whatever else is running: one Node process uses one core, so it can serve at most
 * 1000 / (its CPU ms per unit) units a second; the whole stack shares the cores.
 */
export function cpuCeilings(used: Record<string, number>, units: number): { server: number | null; machine: number } {
  const per = (v: number) => v / units
  const total = Object.values(used).reduce((s, v) => s + v, 0)
  return {
    server: used.server !== undefined ? 1000 / per(used.server) : null,
    machine: (1000 * os.cpus().length) / per(total),
  }
}
