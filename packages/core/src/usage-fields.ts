import { z } from 'zod'

/**
 * What a usage row is for. The app's own calls use the built-in names (the Prompt Lab, its live preview,
 * "improve my prompt", the API, anything else); callers of track may name their own features ("search",
 * "support-bot/summary"): 1–64 characters, letters, digits and `. _ : / -`, starting with a letter or digit.
 */
export const FEATURE_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}$/
export const FEATURE_NAME_RULE = '1–64 characters: letters, digits and . _ : / - (starting with a letter or digit)'
export const usageFeatureSchema = z
  .string({ error: 'feature must be a string' })
  .regex(FEATURE_NAME_PATTERN, `feature must be ${FEATURE_NAME_RULE}`)
export type UsageFeature = z.infer<typeof usageFeatureSchema>
/** The features the app itself records (offered first in filters; any other name is valid too). */
export const USAGE_FEATURES = ['lab', 'preview', 'improve', 'api', 'other'] as const
export type BuiltInFeature = (typeof USAGE_FEATURES)[number]

/** The features whose calls go through the model gateway. */
export const gatewayFeatureSchema = z.enum(['lab', 'preview', 'improve'])

/** How a call ended: answered, failed, or refused by a hard budget. */
export const usageStatusSchema = z.enum(['ok', 'error', 'blocked'])
export type UsageStatus = z.infer<typeof usageStatusSchema>
export const USAGE_STATUSES = usageStatusSchema.options

/**
 * Tags: string key/values on a usage row (`{ "env": "prod", "customer": "acme" }`), filterable as `key:value`.
 * At most 10; a key is 1–40 characters of letters, digits and `. _ -` (no `:`, which separates a filter's key
 * from its value); a value is 1–100 characters without commas (filters are comma lists) or control characters.
 */
export const MAX_TAGS = 10
export const TAG_KEY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/
export const TAG_VALUE_MAX = 100
// eslint-disable-next-line no-control-regex -- a tag value must not contain control characters
const TAG_VALUE_PATTERN = /^[^,\u0000-\u001f\u007f]{1,100}$/
export const TAG_RULE = `keys are 1–40 letters, digits or . _ - ; values are 1–${TAG_VALUE_MAX} characters without commas`

export const usageTagsSchema = z
  .record(z.string(), z.unknown(), { error: 'tags must be an object of string values, e.g. { "env": "prod" }' })
  .superRefine((tags, ctx) => {
    const keys = Object.keys(tags)
    if (keys.length > MAX_TAGS)
      ctx.addIssue({ code: 'custom', message: `at most ${MAX_TAGS} tags (got ${keys.length})` })
    for (const key of keys) {
      const value = tags[key]
      if (!TAG_KEY_PATTERN.test(key))
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: `tag key must be 1–40 letters, digits or . _ - (starting with a letter or digit)`,
        })
      else if (typeof value !== 'string')
        ctx.addIssue({ code: 'custom', path: [key], message: 'tag value must be a string' })
      else if (!TAG_VALUE_PATTERN.test(value))
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: `tag value must be 1–${TAG_VALUE_MAX} characters without commas or control characters`,
        })
    }
  })
  .transform((tags) => tags as Record<string, string>)
export type UsageTags = Record<string, string>

/** A tag filter, `key:value` (the value may contain further colons). */
export const tagFilterSchema = z.string().refine((s) => {
  const at = s.indexOf(':')
  return at > 0 && TAG_KEY_PATTERN.test(s.slice(0, at)) && TAG_VALUE_PATTERN.test(s.slice(at + 1))
}, 'tag must be key:value, e.g. env:prod')

/** Splits a `key:value` tag filter at its first colon. */
export function parseTagFilter(filter: string): { key: string; value: string } {
  const at = filter.indexOf(':')
  return { key: filter.slice(0, at), value: filter.slice(at + 1) }
}

/** The filters every usage listing takes (dashboard, history, export, reports), in one order. */
export const USAGE_FILTER_KEYS = [
  'model',
  'provider',
  'promptId',
  'userId',
  'apiKeyId',
  'feature',
  'status',
  'tag',
] as const
export type UsageFilterKey = (typeof USAGE_FILTER_KEYS)[number]
