import { z } from 'zod'

/** Every administrative change the audit log records, as `<target>.<verb>`. */
export const auditActionSchema = z.enum([
  'api_key.created',
  'api_key.revoked',
  'budget.created',
  'budget.updated',
  'budget.deleted',
  'member.added',
  'member.removed',
  'member.role_changed',
  'member.invited',
  'member.invite_revoked',
  'ownership.transferred',
  'cost_center.created',
  'cost_center.updated',
  'cost_center.archived',
  'cost_center.assigned',
  'allocation.changed',
  'budget_request.created',
  'budget_request.approved',
  'budget_request.denied',
  'budget_request.expired',
  'alert_route.updated',
  'alert_channel.created',
  'alert_channel.updated',
  'alert_channel.deleted',
  'alert_channel.tested',
  'plan.changed',
  'report.created',
  'report.updated',
  'report.deleted',
  'report.sent',
  'prices.changed',
  'recommendation.applied',
  'team.updated',
])
export type AuditAction = z.infer<typeof auditActionSchema>
export const AUDIT_ACTIONS = auditActionSchema.options

/** Who made a change: a signed-in person, an API key, the operator's CLI, or the system itself. */
export const auditActorKindSchema = z.enum(['user', 'api_key', 'cli', 'system'])
export type AuditActorKind = z.infer<typeof auditActorKindSchema>
