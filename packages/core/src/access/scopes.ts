import { z } from 'zod'
import { AppError } from '../errors'

/**
 * What an API key may do. A key carries some of these, chosen when it is created; a procedure or route names
 * the one scope it needs (or none: keys may not call it at all). No scope lets a key manage keys, members,
 * roles or the plan — those are declared with `scope: null` and are for signed-in people only.
 */
export const apiKeyScopeSchema = z.enum([
  'usage:write',
  'usage:read',
  'budgets:read',
  'budgets:write',
  'alerts:read',
  'alerts:write',
  'reports:write',
  'prompts:write',
])
export type ApiKeyScope = z.infer<typeof apiKeyScopeSchema>
export const API_KEY_SCOPES = apiKeyScopeSchema.options

/** What a new key gets when its creator names no scopes: track and read usage, see budgets. */
export const DEFAULT_API_KEY_SCOPES: readonly ApiKeyScope[] = ['usage:write', 'usage:read', 'budgets:read']

/** What each scope allows, for the CLI, the settings page and the README. */
export const API_KEY_SCOPE_DESCRIPTIONS: Readonly<Record<ApiKeyScope, string>> = {
  'usage:write': 'track, track/batch, reserve and release usage',
  'usage:read': 'stats, top prompts, history and export',
  'budgets:read': 'list budgets with their spend',
  'budgets:write': 'create, change and delete budgets',
  'alerts:read': 'list alerts and the unread count',
  'alerts:write': 'acknowledge and dismiss alerts',
  'reports:write': 'see, save, delete and send reports',
  'prompts:write': 'read and change saved prompts',
}

/** A set of scopes: known names, no repeats, in the canonical order. */
export const apiKeyScopesSchema = z
  .array(apiKeyScopeSchema)
  .min(1, 'pick at least one scope')
  .transform((scopes) => API_KEY_SCOPES.filter((s) => scopes.includes(s)))

/** Parses a comma-separated list (`usage:read,budgets:write`), naming the first unknown scope. */
export function parseApiKeyScopes(list: string, field = 'scopes'): ApiKeyScope[] {
  const names = list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
  const unknown = names.find((n) => !(API_KEY_SCOPES as readonly string[]).includes(n))
  if (unknown !== undefined) {
    throw new AppError(
      'BAD_INPUT',
      `${field}: "${unknown}" is not a scope; use some of ${API_KEY_SCOPES.join(', ')}.`,
      { field },
    )
  }
  if (names.length === 0) throw new AppError('BAD_INPUT', `${field}: name at least one scope.`, { field })
  return apiKeyScopesSchema.parse(names)
}
