// Tests render components that use router hooks inside a MemoryRouter. react-router-dom comes with
// @remix-run/react rather than as a direct dependency, so vitest.config.ts maps this name onto that copy
// (the one Remix's links use) and only what the tests need is declared here.
declare module 'virtual:react-router-dom' {
  import type { ComponentType, ReactNode } from 'react'
  export const MemoryRouter: ComponentType<{
    initialEntries?: string[]
    future?: { v7_startTransition?: boolean; v7_relativeSplatPath?: boolean }
    children?: ReactNode
  }>
}
