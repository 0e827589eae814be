import { vitePlugin as remix } from '@remix-run/dev'
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'

declare module '@remix-run/node' {
  interface Future {
    v3_singleFetch: true
  }
}

// The workspace packages ship TypeScript sources and use Node-only modules (pg, argon2) that resolve from
// their own folders, so the server build leaves them as imports: the server runs under tsx, which loads
// them. (Vite's own `ssr.external` will not externalise a package whose entry is a .ts file.)
const workspacePackages = /^@costwise\//

// The browser counts tokens with gpt-tokenizer only (core's default backend, in the Lab's Web Worker). Core can
// also build js-tiktoken (benchmarks, cross-checks), whose rank tables are a second ~1 MB copy of each encoding:
// in the browser bundles that backend resolves to a stub, so each encoding ships once.
const browserOnlyAliases = [
  {
    find: /^js-tiktoken\/(lite|ranks\/[\w]+)$/,
    replacement: fileURLToPath(new URL('./app/lib/lab/no-js-tiktoken.ts', import.meta.url)),
  },
]

export default defineConfig(({ isSsrBuild }) => ({
  plugins: [
    remix({
      future: {
        v3_fetcherPersist: true,
        v3_relativeSplatPath: true,
        v3_throwAbortReason: true,
        v3_singleFetch: true,
        v3_lazyRouteDiscovery: true,
      },
    }),
  ],
  resolve: { alias: isSsrBuild ? [] : browserOnlyAliases },
  // The Lab's preview worker imports the tokenizer lazily (code-split chunks), which needs ES module workers.
  worker: { format: 'es' as const },
  ssr: {
    external: ['@costwise/api', '@costwise/core', '@costwise/db'],
  },
  build: {
    target: 'es2022',
    rollupOptions: isSsrBuild ? { external: workspacePackages } : {},
  },
}))
