import { analyticsRouter } from './routers/analytics'
import { apiKeysRouter } from './routers/api-keys'
import { meRouter } from './routers/me'
import { teamsRouter } from './routers/teams'
import { createCallerFactory, createTRPCRouter } from './trpc'

export const appRouter = createTRPCRouter({
  me: meRouter,
  teams: teamsRouter,
  apiKeys: apiKeysRouter,
  analytics: analyticsRouter,
})

export type AppRouter = typeof appRouter

/** Server-side calls (Remix loaders, the CLI, tests) with a context you build. */
export const createCaller = createCallerFactory(appRouter)
