import { createRequire } from 'node:module'
import { dirname } from 'node:path'
import { defineConfig } from 'vitest/config'

// Component tests run in jsdom without the Remix plugin. react-router-dom (for MemoryRouter) is not a
// direct dependency; it is resolved from @remix-run/react, which ships with it.
const require = createRequire(import.meta.url)
const remixReact = require.resolve('@remix-run/react')
const reactRouterDom = dirname(createRequire(remixReact).resolve('react-router-dom/package.json'))

export default defineConfig({
  esbuild: { jsx: 'automatic' },
  resolve: { alias: { 'virtual:react-router-dom': reactRouterDom } },
  test: {
    name: 'web',
    root: dirname(new URL(import.meta.url).pathname),
    environment: 'jsdom',
    include: ['app/**/*.test.{ts,tsx}'],
    setupFiles: ['./app/test/setup.ts'],
  },
})
