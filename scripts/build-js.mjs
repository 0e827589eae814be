// Compiles one workspace package's TypeScript to JavaScript in <package>/build (its `build` script runs this),
// so production runs plain `node` with no TypeScript loader on the serving path.
//
//   node ../../scripts/build-js.mjs                  every source file of the package (src/, else the folder)
//   node ../../scripts/build-js.mjs --out build/node server.ts cluster.ts
//
// Each source file becomes its own module (so every `./*` export keeps working) and code shared between them
// goes to chunks that are loaded once, so a module's state (caches, pools) exists once per process, as under
// tsx. Imports of packages (npm and @costwise/*) stay imports: each workspace package is built on its own
// and resolves its dependencies from its own folder. Node picks the built files with `--conditions=built`
// (the "built" condition in each package's exports); everything else (tsx, Vitest, Vite, tsc) reads src.
import { build } from 'esbuild'
import { existsSync, readdirSync, rmSync } from 'node:fs'
import path from 'node:path'

const args = process.argv.slice(2)
let outdir = 'build'
const entries = []
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--out') outdir = args[++i]
  else entries.push(args[i])
}

const SKIP_DIRS = new Set(['node_modules', 'build', 'dist', 'testing', 'examples', 'scripts'])
const isSource = (file) =>
  /\.tsx?$/.test(file) && !/\.(test|bench|d)\.tsx?$/.test(file) && !/(^|\/)testing\.ts$/.test(file)

/** Source files under `dir`, leaving out tests, test helpers and folders that are packages of their own. */
function sources(dir) {
  const found = []
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) {
      if (SKIP_DIRS.has(entry.name) || existsSync(path.join(full, 'package.json'))) continue
      found.push(...sources(full))
    } else if (isSource(entry.name)) {
      found.push(full)
    }
  }
  return found
}

const root = existsSync('src') ? 'src' : '.'
const entryPoints = entries.length > 0 ? entries : sources(root)
if (entryPoints.length === 0) throw new Error(`No TypeScript sources to build in ${process.cwd()}`)

rmSync(outdir, { recursive: true, force: true })
await build({
  entryPoints,
  outdir,
  // Chunks sit beside the entries (not in a subfolder), so code that finds files from import.meta.url keeps
  // its depth below the package folder (src/x.ts → build/x.js).
  ...(entries.length > 0 ? {} : { outbase: root }),
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  jsx: 'automatic',
  chunkNames: '[name]-[hash]',
  logLevel: 'warning',
})
console.log(`built ${entryPoints.length} module(s) into ${path.join(path.basename(process.cwd()), outdir)}`)
