// An internal tool reporting its model calls to Costwise with the typed client.
// Run against a local Costwise (npm start), with a key from `pnpm cli api-key create --team demo --name my-tool`:
//   COSTWISE_API_KEY=cw_… npx tsx packages/api/examples/internal-tool.ts
import { createCostwiseClient } from '@costwise/api/client'

const apiKey = process.env.COSTWISE_API_KEY
if (!apiKey) {
  console.error('Set COSTWISE_API_KEY (create one with: pnpm cli api-key create --team demo --name my-tool)')
  process.exit(1)
}
const costwise = createCostwiseClient({ url: process.env.COSTWISE_URL ?? 'http://localhost:3000', apiKey })

// 1. Before the call: set its worst-case cost aside on every budget that applies (throws BUDGET_EXCEEDED when
//    a hard budget has no room, and then the tool should not make the call).
const reservation = await costwise.usage.reserve.mutate({
  model: 'gpt-4o-mini',
  messages: [{ role: 'user', content: 'Summarise our Q3 support tickets in three bullet points.' }],
  maxOutputTokens: 300,
})
console.log(`reserved up to $${reservation.estimatedCostUsd} (${reservation.inputTokens} prompt tokens)`)

// 2. …call the model here; then record what it really used. The server prices it; retries are safe.
const tracked = await costwise.usage.track.mutate({
  model: 'gpt-4o-mini',
  inputTokens: reservation.inputTokens,
  outputTokens: 212,
  reservationId: reservation.reservationId,
  idempotencyKey: `example-${reservation.reservationId}`,
  feature: 'api',
})
console.log(`recorded ${tracked.id}: $${tracked.costUsd}${tracked.duplicate ? ' (duplicate)' : ''}`)

// 3. Read it back: the last 30 days, by model.
const stats = await costwise.usage.stats.query({ groupBy: 'model' })
console.log(`last 30 days: $${stats.totals.costUsd} over ${stats.totals.runs} runs`)
for (const g of stats.groups.slice(0, 5)) console.log(`  ${g.key}: $${g.costUsd}`)
