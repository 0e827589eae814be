import type { History } from '@costwise/core/recommendations/testing/histories'
import { apiKeys, teams, users, type Db } from '@costwise/db'
import { randomBytes } from 'node:crypto'
import { recordUsage } from '../services/record-usage'
import { createPrompt } from '../services/prompts'
import type { TrackEvent } from '../services/tracking.types'
import type { TeamScope } from '../trpc'

/** A team with an owner and an API key, for tests: the owner's scope and the key's scope. */
export async function makeTeam(db: Db, slug: string, timeZone = 'UTC') {
  const team = await teams.insertTeam(db, { slug, name: slug, timeZone })
  const owner = await users.insertUser(db, {
    email: `${slug}@history.test`,
    name: `Owner of ${slug}`,
    passwordHash: 'x',
  })
  await teams.upsertMember(db, team.id, owner.id, 'owner')
  const key = await apiKeys.insertApiKey(db, {
    teamId: team.id,
    name: `${slug}-tool`,
    prefix: `cw_${randomBytes(4).toString('hex')}`,
    keyHash: randomBytes(16).toString('hex'),
    createdBy: owner.id,
    scopes: ['usage:write', 'usage:read', 'prompts:write'],
  })
  const asOwner: TeamScope = { ...team, role: 'owner', userId: owner.id, apiKeyId: null }
  const asKey: TeamScope = { ...team, role: 'admin', userId: null, apiKeyId: key.id }
  return { team, owner, key, asOwner, asKey }
}

/**
 * Loads a synthetic history through the real ingestion path (recordUsage: priced on the server, rollups,
 * budgets): its prompts as saved prompts, Lab runs as the owner, key traffic as the API key.
 */
export async function loadHistory(
  db: Db,
  scopes: { asOwner: TeamScope; asKey: TeamScope },
  history: History,
  now: Date,
) {
  const promptIds: Record<string, string> = {}
  for (const p of history.prompts) {
    const saved = await createPrompt(db, scopes.asOwner, {
      name: p.name,
      model: p.model,
      systemMessage: p.systemMessage,
      userMessage: p.userMessage,
      variables: {},
      maxOutputTokens: p.maxOutputTokens,
      caching: false,
    })
    promptIds[p.key] = saved.id
  }
  const toEvent = (e: History['events'][number]): TrackEvent => ({
    model: e.model,
    inputTokens: e.inputTokens,
    outputTokens: e.outputTokens,
    cachedInputTokens: e.cachedInputTokens,
    status: e.status,
    feature: e.viaKey ? 'api' : 'lab',
    occurredAt: e.at.toISOString(),
    ...(e.prompt ? { promptId: promptIds[e.prompt]! } : {}),
    ...(e.blocked
      ? {
          metadata: {
            estimatedInputTokens: e.blocked.estimatedInputTokens,
            details: { budget: { limitUsd: e.blocked.roomUsd, spentUsd: '0', reservedUsd: '0' } },
          },
        }
      : {}),
  })
  const lab = history.events.filter((e) => !e.viaKey).map(toEvent)
  const api = history.events.filter((e) => e.viaKey).map(toEvent)
  for (let i = 0; i < lab.length; i += 500) await recordUsage(db, scopes.asOwner, lab.slice(i, i + 500), now)
  for (let i = 0; i < api.length; i += 500) await recordUsage(db, scopes.asKey, api.slice(i, i + 500), now)
  return promptIds
}
