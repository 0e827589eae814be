import pino from 'pino'
import { env } from './env.server'

/** Structured logs, one JSON object per line on stdout. */
export const logger = pino({
  name: 'costwise-web',
  level: env.NODE_ENV === 'test' ? 'silent' : env.LOG_LEVEL,
  base: undefined,
  timestamp: pino.stdTimeFunctions.isoTime,
  formatters: { level: (label) => ({ level: label }) },
})
