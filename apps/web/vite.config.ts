import { vitePlugin as remix } from '@remix-run/dev'
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
  ssr: {
    external: ['@costwise/api', '@costwise/core', '@costwise/db'],
  },
  build: {
    target: 'es2022',
    rollupOptions: isSsrBuild ? { external: workspacePackages } : {},
  },
}))
