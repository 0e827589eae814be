/**
 * Runs every `*.bench.ts` in this folder, one after another, each in its own process (so one
 * bench's warm caches and heap never flatter the next). Exits non-zero if any bench fails.
 *
 *   cd bench && npx tsx run-all.ts [filter]
 */
import { spawnSync } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const filter = process.argv[2]
const benches = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts') && (!filter || f.includes(filter)))
  .sort()

let failed = 0
for (const file of benches) {
  console.log(`\n━━ ${file}`)
  const started = Date.now()
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(here, file)], { cwd: here, stdio: 'inherit' })
  const seconds = ((Date.now() - started) / 1000).toFixed(1)
  if (result.status !== 0) {
    failed++
    console.log(`━━ ${file} failed (exit ${result.status ?? result.signal}) after ${seconds} s`)
  } else {
    console.log(`━━ ${file} done in ${seconds} s`)
  }
}
if (benches.length === 0) console.log('no *.bench.ts files found')
process.exit(failed === 0 ? 0 : 1)
