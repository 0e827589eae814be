import { z } from 'zod'

/** Where a usage row came from: the Prompt Lab, its live preview, "improve my prompt", the API, or anything else. */
export const usageFeatureSchema = z.enum(['lab', 'preview', 'improve', 'api', 'other'])
export type UsageFeature = z.infer<typeof usageFeatureSchema>
export const USAGE_FEATURES = usageFeatureSchema.options

/** The features whose calls go through the model gateway. */
export const gatewayFeatureSchema = usageFeatureSchema.extract(['lab', 'preview', 'improve'])

/** How a call ended: answered, failed, or refused by a hard budget. */
export const usageStatusSchema = z.enum(['ok', 'error', 'blocked'])
export type UsageStatus = z.infer<typeof usageStatusSchema>
export const USAGE_STATUSES = usageStatusSchema.options

/** The filters every usage listing takes (dashboard, history, export, reports), in one order. */
export const USAGE_FILTER_KEYS = ['model', 'provider', 'promptId', 'userId', 'apiKeyId', 'feature', 'status'] as const
export type UsageFilterKey = (typeof USAGE_FILTER_KEYS)[number]
