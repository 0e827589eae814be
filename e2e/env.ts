import { fileURLToPath } from 'node:url'

// Where the e2e stack runs. E2E_PORT / E2E_DATA_DIR / E2E_PG_PORT let two suites run side by side on one machine.
export const repoRoot = fileURLToPath(new URL('..', import.meta.url))
export const port = Number(process.env.E2E_PORT ?? 3100)
export const pgPort = Number(process.env.E2E_PG_PORT ?? 54339)
export const dataDir = process.env.E2E_DATA_DIR ?? `${repoRoot}.data/e2e`
export const baseURL = `http://127.0.0.1:${port}`
/** The database `pnpm cli start` creates on the embedded PostgreSQL (apps/cli/src/database.ts). */
export const databaseUrl = `postgres://postgres:postgres@127.0.0.1:${pgPort}/costwise`
