import type { Db } from '@costwise/db'
import type { TeamScope } from '../trpc'
import { commitUsage, lookUpReferences, prepareUsage, type Prepared } from './record-usage'
import type { TrackEvent, TrackResult } from './tracking.types'

/**
 * Group commit of tracked calls. Concurrent single events of one team are written together: while a team's
 * transaction is being written, the events that arrive wait, and the next transaction takes all of them (up
 * to {@link GROUP_MAX_EVENTS}). The window is thus as long as one commit (about a millisecond or two) when
 * calls queue, and nothing at all for a lone call. The group's prompt and user references are looked up in
 * one pair of queries, then each caller is checked and priced on its own, so a caller's bad input is its own
 * 400; the budget rows, rollups and idempotency keys are then written once per group instead of once per call. Should a group's transaction fail, each caller is retried alone so that
 * every caller gets its own answer or its own error, and nothing is counted twice (the failed transaction
 * wrote nothing).
 */
export const GROUP_MAX_EVENTS = 256

interface Waiter {
  team: TeamScope
  events: TrackEvent[]
  now: Date
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
export async function recordUsageGrouped(
  db: Db,
  team: TeamScope,
  events: TrackEvent[],
  now = new Date(),
): Promise<TrackResult[]> {
  if (events.length === 0) return []
  let queues = queuesByDb.get(db)
  if (!queues) queuesByDb.set(db, (queues = new Map<string, TeamQueue>()))
  let queue = queues.get(team.id)
  if (!queue)
    queues.set(team.id, (queue = { team: { id: team.id, timeZone: team.timeZone }, waiting: [], running: false }))
  const q = queue
  return new Promise<TrackResult[]>((resolve, reject) => {
    q.waiting.push({ team, events, now, resolve, reject })
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
    while (
      queue.waiting.length > 0 &&
      (group.length === 0 || events + queue.waiting[0]!.events.length <= GROUP_MAX_EVENTS)
    ) {
      const next = queue.waiting.shift()!
      group.push(next)
      events += next.events.length
    }
    await prepareAndCommit(db, queue.team, group)
  }
  queue.running = false
  queues.delete(queue.team.id)
}

/** Checks each caller (references looked up once for the whole group), then writes the valid ones together. */
async function prepareAndCommit(db: Db, team: TeamQueue['team'], group: Waiter[]): Promise<void> {
  let ready: { waiter: Waiter; prepared: Prepared[] }[] = []
  try {
    const known = await lookUpReferences(
      db,
      team.id,
      group.map((w) => w.events),
    )
    for (const waiter of group) {
      try {
        ready.push({ waiter, prepared: await prepareUsage(db, waiter.team, waiter.events, waiter.now, known) })
      } catch (error) {
        waiter.reject(error) // this caller's own error (bad reference, model not allowed, a time in the future)
      }
    }
  } catch (error) {
    for (const w of group) w.reject(error)
    ready = []
  }
  if (ready.length === 0) return
  try {
    const results = await commitUsage(
      db,
      team,
      ready.map((r) => r.prepared),
    )
    ready.forEach((r, i) => r.waiter.resolve(results[i]!))
  } catch (error) {
    if (ready.length === 1) {
      ready[0]!.waiter.reject(error)
      return
    }
    // One caller's event may have failed the whole group: each alone, each with its own answer.
    for (const { waiter, prepared } of ready) {
      try {
        waiter.resolve((await commitUsage(db, team, [prepared]))[0]!)
      } catch (own) {
        waiter.reject(own)
      }
    }
  }
}
