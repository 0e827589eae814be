import { startLocalLlm } from './server'

/** Standalone: `PORT=11435 tsx src/main.ts` (or `pnpm --filter @costwise/local-llm start`). */
const port = Number(process.env.PORT ?? 11435)
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  console.error(`PORT must be an integer between 0 and 65535, got "${process.env.PORT}"`)
  process.exit(1)
}
const server = await startLocalLlm({
  port,
  ...(process.env.LOCAL_LLM_API_KEY ? { apiKey: process.env.LOCAL_LLM_API_KEY } : {}),
})
console.log(`Costwise local LLM listening at ${server.url}`)
console.log(
  `  e.g. OPENAI_BASE_URL=${server.url} with any API key; models: costwise-demo, costwise-demo-mini, costwise-demo-reasoner`,
)

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void server.stop().then(() => process.exit(0))
  })
}
