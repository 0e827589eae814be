import type { Db } from '@costwise/db'
import type { TeamScope } from '../trpc'
import { commitUsage, prepareUsage, type Prepared } from './record-usage'
import type { TrackEvent, TrackResult } from './tracking.types'

/**
 * Group commit of tracked calls. Concurrent single events of one team are written together: while a team's
 * transaction is being written, the events that arrive wait, and the next transaction takes all of them (up
 * to {@link GROUP_MAX_EVENTS}). The window is thus as long as one commit (about a millisecond or two) when
 * calls queue, and nothing at all for a lone call. Each caller is checked and priced on its own first, so
 * a caller's bad input is its own 400; the budget rows, rollups and idempotency keys are then written once
 * per group instead of once per call. Should a group's transaction fail, each caller is retried alone so that
 * every caller gets its own answer or its own error, and nothing is counted twice (the failed transaction
 * wrote nothing).
 */
export const GROUP_MAX_EVENTS = 256

interface Waiter {
  prepared: Prepared[]
  resolve(results: TrackResult[]): void
  reject(error: unknown): void
}

interface TeamQueue {
  team: Pick<TeamScope, 'id' | 'timeZone'>
  waiting: Waiter[]
  running: boolean
}

const queuesByDb = new WeakMap<Db, Map<string, TeamQueue>>()

/** `recordUsage` for one caller, written in a group with the team's other concurrent callers. */
export async function recordUsageGrouped(db: Db, team: TeamScope, events: TrackEvent[], now = new Date()): Promise<TrackResult[]> {
  if (events.length === 0) return []
  const prepared = await prepareUsage(db, team, events, now)
  let queues = queuesByDb.get(db)
  if (!queues) queuesByDb.set(db, (queues = new Map()))
  let queue = queues.get(team.id)
  if (!queue) queues.set(team.id, (queue = { team: { id: team.id, timeZone: team.timeZone }, waiting: [], running: false }))
  const q = queue
  return new Promise<TrackResult[]>((resolve, reject) => {
    q.waiting.push({ prepared, resolve, reject })
    // A lone call goes at once (after the calls of this same tick have joined it).
    if (!q.running) {
      q.running = true
      setImmediate(() => void drain(db, queues, q))
    }
  })
}

async function drain(db: Db, queues: Map<string, TeamQueue>, queue: TeamQueue): Promise<void> {
  while (queue.waiting.length > 0) {
    const group: Waiter[] = []
    let events = 0
    while (queue.waiting.length > 0 && (group.length === 0 || events + queue.waiting[0]!.prepared.length <= GROUP_MAX_EVENTS)) {
      const next = queue.waiting.shift()!
      group.push(next)
      events += next.prepared.length
    }
    await commitGroup(db, queue.team, group)
  }
  queue.running = false
  queues.delete(queue.team.id)
}

async function commitGroup(db: Db, team: TeamQueue['team'], group: Waiter[]): Promise<void> {
  try {
    const results = await commitUsage(
      db,
      team,
      group.map((w) => w.prepared),
    )
    group.forEach((w, i) => w.resolve(results[i]!))
  } catch (error) {
    if (group.length === 1) {
      group[0]!.reject(error)
      return
    }
    // One caller's event may have failed the whole group: each alone, each with its own answer.
    for (const w of group) {
      try {
        w.resolve((await commitUsage(db, team, [w.prepared]))[0]!)
      } catch (own) {
        w.reject(own)
      }
    }
  }
}
