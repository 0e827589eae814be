import type { audit } from '@costwise/db'
import type { TeamScope } from './trpc'

/**
 * The team and actor part of an audit entry, from the caller's scope: `audit.record(trx, { ...auditBy(team),
 * action, target, before, after })` inside the transaction of the change.
 */
export function auditBy(team: TeamScope): { teamId: string; actor: audit.AuditActor } {
  const kind = team.apiKeyId ? 'api_key' : team.userId ? 'user' : 'system'
  return { teamId: team.id, actor: { kind, userId: team.userId, apiKeyId: team.apiKeyId, ip: team.ip ?? null } }
}
