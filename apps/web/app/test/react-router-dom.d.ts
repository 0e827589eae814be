// Tests render components that use router hooks inside a MemoryRouter. react-router-dom comes with
// @remix-run/react rather than as a direct dependency, so vitest.config.ts maps this name onto that copy
// (the one Remix's links use) and only what the tests need is declared here.
declare module 'virtual:react-router-dom' {
  import type { ComponentType, ReactElement, ReactNode } from 'react'
  export const MemoryRouter: ComponentType<{
    initialEntries?: string[]
    future?: { v7_startTransition?: boolean; v7_relativeSplatPath?: boolean }
    children?: ReactNode
  }>
  /** A data router in memory, for components that use fetchers (routes with an element and an action). */
  export interface MemoryDataRouter {
    readonly state: { location: { search: string } }
  }
  export function createMemoryRouter(
    routes: { path: string; element: ReactElement; action?: (args: { request: Request }) => unknown }[],
    options?: { initialEntries?: string[]; future?: Record<string, boolean> },
  ): MemoryDataRouter
  export const RouterProvider: ComponentType<{ router: MemoryDataRouter; future?: Record<string, boolean> }>
}
