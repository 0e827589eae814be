export { appRouter, createCaller, type AppRouter } from './root'
export { createContext, createContextFromRequest, CLIENT_IP_HEADER, type Context, type Actor } from './context'
export {
  signUp,
  logIn,
  logOut,
  resolveSession,
  issueSession,
  type SessionUser,
  type IssuedSession,
  type SignUpResult,
} from './auth/service'
export { DEFAULT_LOGIN_THROTTLE, type LoginThrottleConfig } from './auth/throttle'
export { createApiKey, revokeApiKey, authenticateApiKey, bearerToken, apiKeyInputSchema } from './auth/api-keys'
export { hashPassword, verifyPassword } from './auth/secrets'
export {
  SESSION_COOKIE,
  TEAM_COOKIE,
  serializeSessionCookie,
  clearSessionCookie,
  readSessionToken,
  serializeTeamCookie,
} from './auth/cookies'
export { createCostwiseClient, type CostwiseClientOptions } from './client'
export {
  handleTrpcRequest,
  handleRestRequest,
  handleExportRequest,
  handleReportRunDownload,
  resolveRouteAccess,
  openApiDocument,
  HTTP_ROUTES,
} from './http'
export {
  UNAVAILABLE_RETRY_SECONDS,
  toAppError,
  errorBody,
  errorResponse,
  errorResponseFor,
  formErrorOf,
  isExpected,
  type FormError,
  type FieldIssue,
} from './errors'
export { createApiConfig, DEFAULT_API_CONFIG, type ApiConfig, type ApiSettings } from './config'
export { type RateLimitConfig, type RateLimiter } from './rate-limit'
export { recordUsage } from './services/record-usage'
export { reserve, releaseReservation, expireReservations } from './services/reserve'
export { repriceUnpriced, repriceWindow, type RepriceResult } from './services/reprice'
export { addCustomPrice, queueRepriceUnpriced } from './services/team-prices'
export { importPrices, type PriceImportResult } from './services/price-import'
export { teamPricing, invalidateTeamPricing } from './services/pricing'
export { createArtefactStore, type ArtefactStore } from './artefacts'
export {
  executeReportRun,
  queueDueReports,
  sendNow,
  saveSchedule,
  runArtefact,
  buildReport,
  reportCsv,
  reportPdf,
} from './services/reports'
export { archiveMonth, restoreMonth, archiveExpiredMonths } from './services/archives'
export { resolveTeamScope, authorizeTeam, type TeamScope } from './trpc'
export { auditBy } from './audit'
export { permissionMatrix, renderPermissionMatrix } from './permissions'
export { startCacheInvalidation } from './cache-invalidation'
export { serveHotRest, answerHotRest, HOT_REST_ROUTES } from './hot-rest'
export { createContextFromHeaders } from './context'
export { recordUsageGrouped, GROUP_MAX_EVENTS } from './services/group-commit'
export { expireRequests } from './services/budget-requests'
export {
  DEFAULT_ROUTE,
  queueAlertDeliveries,
  deliverWebhook,
  signWebhook,
  verifyWebhookSignature,
  isPrivateAddress,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  DELIVERY_HEADER,
  EVENT_HEADER,
  type WebhookNetworkPolicy,
} from './services/alert-channels'
export { inviteInfo, acceptInviteWithNewAccount, acceptInvite } from './services/members'
export { refreshRecommendations, listRecommendationViews } from './services/recommendations'
export { forecastTeam, checkForecastAlerts } from './services/forecast'
export { detectSpendAnomalies } from './services/anomalies'
