// The budget form's fields and their validation, shared by the browser (inline errors as you type and on
// submit) and the action (before calling `budgets.save`, whose own errors are mapped back onto the fields).

import { MAX_ALERT_THRESHOLD } from '@costwise/core/budgets/thresholds'
import { USD_DECIMAL } from '@costwise/core/money'
import { formString } from './form-data'

export const BUDGET_FIELDS = ['name', 'scope', 'userId', 'apiKeyId', 'promptId', 'period', 'limitUsd', 'mode', 'thresholds', 'timeZone'] as const
export type BudgetField = (typeof BUDGET_FIELDS)[number]
export type BudgetErrors = Partial<Record<BudgetField | 'form', string>>

export const SCOPES = ['team', 'user', 'api_key', 'prompt'] as const
export const PERIODS = ['day', 'week', 'month', 'total'] as const
export const MODES = ['hard', 'soft'] as const
export type BudgetScope = (typeof SCOPES)[number]
export type BudgetPeriod = (typeof PERIODS)[number]

/** The form's values as typed (all strings), e.g. from FormData. */
export type BudgetFormValues = Record<BudgetField, string> & { id: string }

/** What `budgets.save` takes. */
export interface BudgetSaveInput {
  id?: string
  name: string
  scope: BudgetScope
  userId?: string
  apiKeyId?: string
  promptId?: string
  period: BudgetPeriod
  limitUsd: string
  mode: 'hard' | 'soft'
  thresholds: number[]
  timeZone: string | null
}

export const EMPTY_BUDGET_FORM: BudgetFormValues = {
  id: '',
  name: '',
  scope: 'team',
  userId: '',
  apiKeyId: '',
  promptId: '',
  period: 'month',
  limitUsd: '',
  mode: 'hard',
  thresholds: '50, 80, 100',
  timeZone: '',
}

/** Whether the runtime knows an IANA time zone (e.g. "Europe/Paris"). */
export function isTimeZone(value: string): boolean {
  if (!value.includes('/') && value !== 'UTC') return false
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value })
    return true
  } catch {
    return false
  }
}

export function validateLimit(raw: string): string | null {
  const value = raw.trim().replace(/^\$/, '').replace(/,/g, '')
  if (!value) return 'Enter a limit in USD, e.g. 250.'
  if (!USD_DECIMAL.test(value)) return 'Write the limit as a number of dollars, e.g. 250 or 99.50 (up to 9 decimals).'
  // A decimal string is more than zero exactly when it has a non-zero digit (no float involved).
  if (!/[1-9]/.test(value)) return 'The limit must be more than $0.'
  return null
}

/** Parses "50, 80, 100" into [50, 80, 100], or says what is wrong with it. */
export function parseThresholds(raw: string): { thresholds: number[]; error: string | null } {
  const parts = raw
    .split(/[,\s]+/)
    .map((p) => p.trim().replace(/%$/, ''))
    .filter(Boolean)
  if (parts.length === 0) return { thresholds: [], error: 'Enter at least one threshold, e.g. 50, 80, 100.' }
  if (parts.length > 10) return { thresholds: [], error: 'Use at most 10 thresholds.' }
  const thresholds: number[] = []
  for (const part of parts) {
    if (!/^\d+$/.test(part)) return { thresholds: [], error: `“${part}” is not a whole percentage; use numbers from 1 to ${MAX_ALERT_THRESHOLD}.` }
    const n = Number(part)
    if (n < 1 || n > MAX_ALERT_THRESHOLD) return { thresholds: [], error: `Thresholds must be from 1 to ${MAX_ALERT_THRESHOLD} (got ${n}).` }
    if (thresholds.length && n <= thresholds[thresholds.length - 1]!) {
      return { thresholds: [], error: 'List thresholds in ascending order without repeats, e.g. 50, 80, 100.' }
    }
    thresholds.push(n)
  }
  return { thresholds, error: null }
}

export function readBudgetForm(data: FormData | URLSearchParams): BudgetFormValues {
  const get = (k: string) => formString(data, k)
  return {
    id: get('id'),
    name: get('name'),
    scope: get('scope') || 'team',
    userId: get('userId'),
    apiKeyId: get('apiKeyId'),
    promptId: get('promptId'),
    period: get('period') || 'month',
    limitUsd: get('limitUsd'),
    mode: get('mode') || 'hard',
    thresholds: get('thresholds'),
    timeZone: get('timeZone'),
  }
}

/** Checks the form; returns the input for `budgets.save` when it is valid, or an error per field. */
export function validateBudgetForm(values: BudgetFormValues): { input: BudgetSaveInput | null; errors: BudgetErrors } {
  const errors: BudgetErrors = {}
  const name = values.name.trim()
  if (!name) errors.name = 'Give the budget a name.'
  else if (name.length > 200) errors.name = 'Keep the name under 200 characters.'
  const scope = (SCOPES as readonly string[]).includes(values.scope) ? (values.scope as BudgetScope) : null
  if (!scope) errors.scope = 'Choose what the budget covers.'
  if (scope === 'user' && !values.userId) errors.userId = 'Choose the member this budget covers.'
  if (scope === 'api_key' && !values.apiKeyId) errors.apiKeyId = 'Choose the API key this budget covers.'
  if (scope === 'prompt' && !values.promptId) errors.promptId = 'Choose the prompt this budget covers.'
  const period = (PERIODS as readonly string[]).includes(values.period) ? (values.period as BudgetPeriod) : null
  if (!period) errors.period = 'Choose a period.'
  const limitError = validateLimit(values.limitUsd)
  if (limitError) errors.limitUsd = limitError
  const mode = values.mode === 'soft' ? 'soft' : values.mode === 'hard' ? 'hard' : null
  if (!mode) errors.mode = 'Choose hard or soft.'
  const { thresholds, error: thresholdError } = parseThresholds(values.thresholds)
  if (thresholdError) errors.thresholds = thresholdError
  const timeZone = values.timeZone.trim()
  if (timeZone && !isTimeZone(timeZone)) errors.timeZone = 'Use an IANA time zone such as Europe/Paris, or leave empty for the team’s.'
  if (Object.keys(errors).length > 0 || !scope || !period || !mode) return { input: null, errors }
  return {
    input: {
      ...(values.id ? { id: values.id } : {}),
      name,
      scope,
      ...(scope === 'user' ? { userId: values.userId } : {}),
      ...(scope === 'api_key' ? { apiKeyId: values.apiKeyId } : {}),
      ...(scope === 'prompt' ? { promptId: values.promptId } : {}),
      period,
      limitUsd: values.limitUsd.trim().replace(/^\$/, '').replace(/,/g, ''),
      mode,
      thresholds,
      timeZone: timeZone || null,
    },
    errors: {},
  }
}

/** Maps a field path from the server's error (e.g. "thresholds.1", "limitUsd") onto a form field. */
export function fieldOf(path: string | null | undefined): BudgetField | 'form' {
  const head = (path ?? '').split('.')[0] ?? ''
  return (BUDGET_FIELDS as readonly string[]).includes(head) ? (head as BudgetField) : 'form'
}
