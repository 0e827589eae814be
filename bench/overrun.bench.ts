/**
 * Budget overrun under concurrency, over HTTP on the real web server: 64 simultaneous calls against one hard
 * budget must never spend (or hold) past its limit.
 *
 *   cd bench && npx tsx overrun.bench.ts          (≈ 30 s)
 *
 * Part 1, 20 rounds: a fresh team whose hard monthly budget fits exactly N reservations (N varies, < 64), then 64
 * POST /api/usage/reserve at once. Exactly N must succeed (the others get 402 BUDGET_EXCEEDED) and the budget's
 * spent + reserved must stay ≤ its limit.
 * Part 2, 5 rounds: 64 clients loop reserve → track (settling the reservation with an actual cost at or below the
 * estimate) until the budget refuses them; a monitor reads spent + reserved every few ms throughout. At the end
 * spent ≤ limit, nothing is left reserved, and spent equals the exact sum of the usage rows.
 * BRIEF's bar: zero overruns.
 */
import { calculateCost, nanoToUsd, usdToNano } from '@costwise/core'
import { runBench } from './lib/cleanup'
import { addBudget, createTeamFixture, type TeamFixture } from './lib/fixtures'
import { Api, type ApiResponse } from './lib/http'
import { startBenchDb, type BenchDb } from './lib/pg'
import { figure, header, int, ms, summarize, zero } from './lib/report'
import { startWebServer } from './lib/web'

const B = 'overrun'
const CLIENTS = 64
const ROUNDS = Number(process.env.OVERRUN_ROUNDS ?? 20)
const CYCLE_ROUNDS = Number(process.env.OVERRUN_CYCLE_ROUNDS ?? 5)
const MODEL = 'gpt-4o-mini'
const INPUT = 1200
const MAX_OUTPUT = 600
const ESTIMATE = calculateCost(MODEL, { inputTokens: INPUT, outputTokens: MAX_OUTPUT }).totalNano

interface BudgetRow {
  limit_usd: string
  spent_usd: string
  reserved_usd: string
}

async function budgetOf(pg: BenchDb, teamId: string): Promise<{ limit: bigint; spent: bigint; reserved: bigint }> {
  const [b] = await pg.query<BudgetRow>(
    "select limit_usd, spent_usd, reserved_usd from usage_budgets where team_id = $1 and scope = 'team'",
    [teamId],
  )
  return { limit: usdToNano(b!.limit_usd), spent: usdToNano(b!.spent_usd), reserved: usdToNano(b!.reserved_usd) }
}

let teamCount = 0
async function freshTeam(pg: BenchDb, limitNano: bigint): Promise<TeamFixture> {
  const f = await createTeamFixture(pg.db, { slug: `overrun-${teamCount++}`, users: 1, prompts: 0 })
  await addBudget(pg.db, f, {
    name: 'Hard monthly',
    scope: 'team',
    period: 'month',
    limitUsd: nanoToUsd(limitNano),
    mode: 'hard',
  })
  return f
}

function reserveBody(key: string) {
  return { model: MODEL, inputTokens: INPUT, maxOutputTokens: MAX_OUTPUT, idempotencyKey: key }
}

await runBench(async () => {
  header(`budget overrun: ${CLIENTS} concurrent calls against one hard budget, over HTTP`)
  const pg = await startBenchDb(B, { poolSize: 4 })
  const web = await startWebServer(B, pg.url)
  console.log(
    `# each reservation: ${MODEL}, ${INPUT} input + up to ${MAX_OUTPUT} output tokens = $${nanoToUsd(ESTIMATE)} set aside`,
  )

  let overruns = 0
  let wrongCounts = 0
  const reserveLatencies: number[] = []

  // Part 1: one burst of 64 reservations per round.
  const burst: string[] = []
  for (let round = 0; round < ROUNDS; round++) {
    const fits = 1 + ((round * 13) % 63) // 1 … 63, varied
    const limit = ESTIMATE * BigInt(fits) + ESTIMATE / 2n // room for `fits` and half of one more
    const f = await freshTeam(pg, limit)
    const api = new Api(web.baseUrl, f.key, CLIENTS)
    await Promise.all(Array.from({ length: CLIENTS }, () => api.get('/healthz').then((r) => r.body.dump()))) // open the connections first
    const results: ApiResponse[] = await Promise.all(
      Array.from({ length: CLIENTS }, async (_, i) => {
        const t = performance.now()
        const res = await api.post('/api/usage/reserve', reserveBody(`r${round}-${i}`))
        reserveLatencies.push(performance.now() - t)
        return res
      }),
    )
    const ok = results.filter((r) => r.status === 200).length
    const refused = results.filter((r) => r.status === 402 && r.json?.code === 'BUDGET_EXCEEDED').length
    if (ok + refused !== CLIENTS)
      throw new Error(
        `unexpected answers: ${JSON.stringify(results.filter((r) => r.status !== 200 && r.status !== 402).slice(0, 2))}`,
      )
    const b = await budgetOf(pg, f.scope.id)
    const over = b.spent + b.reserved > b.limit
    if (over) overruns++
    if (ok !== fits) wrongCounts++
    burst.push(`${ok}/${fits}${over ? '!' : ''}`)
    await api.close()
  }
  console.log(
    `# part 1, ${ROUNDS} rounds of ${CLIENTS} simultaneous reservations — succeeded/fitting per round: ${burst.join(' ')}`,
  )
  const lat = summarize(reserveLatencies)
  console.log(`#   reserve latency with ${CLIENTS} in flight: p50 ${ms(lat.p50)}, p99 ${ms(lat.p99)}`)

  // Part 2: 64 clients loop reserve → track until the budget refuses them.
  let cycles = 0
  let maxUsedVsLimit = Number.NEGATIVE_INFINITY
  let samples = 0
  for (let round = 0; round < CYCLE_ROUNDS; round++) {
    const fits = 40 + round * 10
    const limit = ESTIMATE * BigInt(fits) + ESTIMATE / 3n
    const f = await freshTeam(pg, limit)
    const api = new Api(web.baseUrl, f.key, CLIENTS)
    let running = true
    const monitor = (async () => {
      while (running) {
        const b = await budgetOf(pg, f.scope.id)
        samples++
        const used = Number(b.spent + b.reserved - b.limit) / 1e9
        maxUsedVsLimit = Math.max(maxUsedVsLimit, used)
        if (b.spent + b.reserved > b.limit) overruns++
        await new Promise((r) => setTimeout(r, 2))
      }
    })()
    let roundCycles = 0
    await Promise.all(
      Array.from({ length: CLIENTS }, async (_, c) => {
        for (let n = 0; ; n++) {
          const reserved = await api.post('/api/usage/reserve', reserveBody(`c${round}-${c}-${n}`))
          if (reserved.status === 402) return
          if (reserved.status !== 200)
            throw new Error(`reserve: HTTP ${reserved.status} ${JSON.stringify(reserved.json)}`)
          // The call used between a third and all of its allowed output.
          const output = MAX_OUTPUT / 3 + ((c * 37 + n * 11) % Math.ceil((MAX_OUTPUT * 2) / 3))
          const tracked = await api.post('/api/usage/track', {
            model: MODEL,
            inputTokens: INPUT,
            outputTokens: Math.min(MAX_OUTPUT, Math.round(output)),
            reservationId: reserved.json.reservationId,
            idempotencyKey: `t${round}-${c}-${n}`,
          })
          if (tracked.status !== 200) throw new Error(`track: HTTP ${tracked.status} ${JSON.stringify(tracked.json)}`)
          roundCycles++
        }
      }),
    )
    running = false
    await monitor
    cycles += roundCycles
    const b = await budgetOf(pg, f.scope.id)
    const [logged] = await pg.query<{ sum: string; n: string }>(
      'select coalesce(sum(cost_usd), 0) as sum, count(*) as n from token_usage_logs where team_id = $1',
      [f.scope.id],
    )
    const [held] = await pg.query<{ n: string }>(
      "select count(*) as n from budget_reservations where team_id = $1 and status = 'held'",
      [f.scope.id],
    )
    if (b.spent > b.limit || b.spent + b.reserved > b.limit) overruns++
    if (b.reserved !== 0n || Number(held!.n) !== 0)
      throw new Error(`round ${round}: $${nanoToUsd(b.reserved)} still reserved, ${held!.n} reservations held`)
    if (b.spent !== usdToNano(logged!.sum))
      throw new Error(`round ${round}: budget spent $${nanoToUsd(b.spent)} but the log sums to $${logged!.sum}`)
    console.log(
      `# part 2, round ${round + 1}: ${int(roundCycles)} reserve→track cycles (${logged!.n} rows) until refused; ` +
        `spent $${nanoToUsd(b.spent)} of $${nanoToUsd(b.limit)} (${((Number(b.spent) / Number(b.limit)) * 100).toFixed(1)} %), exactly the log's sum`,
    )
    await api.close()
  }
  console.log(
    `#   monitor: ${int(samples)} reads of spent + reserved during part 2; closest approach to the limit: $${(-maxUsedVsLimit).toFixed(9)} below`,
  )

  console.log('')
  figure(
    B,
    `reservations granted = what fits (${ROUNDS} bursts of ${CLIENTS})`,
    wrongCounts,
    `${ROUNDS - wrongCounts}/${ROUNDS} rounds exact`,
  )
  figure(B, `reserve p99 with ${CLIENTS} in flight`, lat.p99, ms(lat.p99))
  figure(B, `reserve→track cycles under ${CLIENTS} clients`, cycles, `${int(cycles)} cycles in ${CYCLE_ROUNDS} rounds`)
  figure(B, 'overruns (spent + reserved > limit, ever seen)', overruns, `overruns: ${overruns}`, zero())
})
