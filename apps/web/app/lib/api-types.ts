import type { AppRouter } from '@costwise/api'
import type { inferRouterOutputs } from '@trpc/server'

// Types only: erased at build time, so any module (client or server) may import them.
export type RouterOutputs = inferRouterOutputs<AppRouter>
export type Me = RouterOutputs['me']['get']
export type DailyUsage = RouterOutputs['analytics']['daily']
