// Rewrites the permission tables in README.md from the procedures' and routes' declarations.
// Run: pnpm --filter @costwise/api run permission-matrix   (permissions.test.ts fails while they differ)
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { renderPermissionMatrix } from '../src/permissions'

const readmePath = path.resolve(import.meta.dirname, '../../../README.md')
const readme = readFileSync(readmePath, 'utf8')
const start = '<!-- permission-matrix:start -->'
const end = '<!-- permission-matrix:end -->'
const from = readme.indexOf(start)
const to = readme.indexOf(end)
if (from < 0 || to < from) throw new Error(`README.md needs the markers ${start} … ${end}`)
writeFileSync(readmePath, `${readme.slice(0, from + start.length)}\n${renderPermissionMatrix()}\n${readme.slice(to)}`)
console.log('README.md permission tables updated.')
