import { alertRoutingRouter } from './routers/alert-routing'
import { alertsRouter } from './routers/alerts'
import { budgetRequestsRouter } from './routers/budget-requests'
import { costCentersRouter } from './routers/cost-centers'
import { notificationsRouter } from './routers/notifications'
import { analyticsRouter } from './routers/analytics'
import { apiKeysRouter } from './routers/api-keys'
import { auditRouter } from './routers/audit'
import { budgetsRouter } from './routers/budgets'
import { reportsRouter } from './routers/reports'
import { labRouter } from './routers/lab'
import { meRouter } from './routers/me'
import { pricesRouter } from './routers/prices'
import { reconciliationRouter } from './routers/reconciliation'
import { promptsRouter } from './routers/prompts'
import { forecastRouter, recommendationsRouter } from './routers/recommendations'
import { teamsRouter } from './routers/teams'
import { usageRouter } from './routers/usage'
import { createCallerFactory, createTRPCRouter } from './trpc'

export const appRouter = createTRPCRouter({
  me: meRouter,
  teams: teamsRouter,
  apiKeys: apiKeysRouter,
  analytics: analyticsRouter,
  usage: usageRouter,
  budgets: budgetsRouter,
  alerts: alertsRouter,
  reports: reportsRouter,
  lab: labRouter,
  audit: auditRouter,
  prices: pricesRouter,
  reconciliation: reconciliationRouter,
  costCenters: costCentersRouter,
  budgetRequests: budgetRequestsRouter,
  notifications: notificationsRouter,
  alertRouting: alertRoutingRouter,
  prompts: promptsRouter,
  recommendations: recommendationsRouter,
  forecast: forecastRouter,
})

export type AppRouter = typeof appRouter

/** Server-side calls (Remix loaders, the CLI, tests) with a context you build. */
export const createCaller = createCallerFactory(appRouter)
