import { tierAllows } from '@costwise/core'
import type { Viewer } from './auth.server'
import { refusal, type ActionResult } from './lib/action-result.server'
import { formString } from './lib/form-data'

/** The cost centres page (Enterprise): the centres, and who and what is assigned to them. */
export async function loadCostCentersPage({ me, caller }: Viewer) {
  const plan = me.activeTeam?.plan ?? 'free'
  const role = me.activeTeam?.role ?? 'viewer'
  const canEdit = role === 'owner' || role === 'admin'
  if (!tierAllows(plan, 'costAllocation')) return { locked: true as const, plan }
  const [centers, members, keys, prompts] = await Promise.all([
    caller.costCenters.list(),
    caller.teams.members(),
    canEdit ? caller.apiKeys.list() : Promise.resolve([]),
    caller.lab.list(),
  ])
  return {
    locked: false as const,
    plan,
    canEdit,
    ...centers,
    people: members.map((m) => ({ userId: m.userId, label: m.name || m.email })),
    keys: keys.filter((k) => !k.revokedAt).map((k) => ({ id: k.id, name: k.name })),
    promptList: prompts.prompts.map((p) => ({ id: p.id, name: p.name })),
  }
}

/**
 * "eng 60, ops 40" → shares by the centres' codes; a single code alone means 100 %. Empty: the key pays
 * into no cost centre.
 */
function parseShares(
  raw: string,
  idOf: Map<string, string>,
): { shares: { costCenterId: string; percent: number }[] } | { error: string } {
  const parts = raw
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)
  const shares: { costCenterId: string; percent: number }[] = []
  for (const part of parts) {
    const [code = '', pct] = part.split(/\s+/)
    const id = idOf.get(code.toLowerCase())
    if (!id) return { error: `No cost centre with the code “${code}”.` }
    const percent = pct === undefined && parts.length === 1 ? 100 : Number(pct?.replace(/%$/, ''))
    if (!Number.isFinite(percent)) return { error: `Give “${code}” a percentage, e.g. “${code} 60”.` }
    shares.push({ costCenterId: id, percent })
  }
  return { shares }
}

export async function costCentersAction({ caller }: Viewer, form: FormData): Promise<ActionResult> {
  const intent = formString(form, 'intent')
  const target = formString(form, 'target') || formString(form, 'id') || undefined
  try {
    switch (intent) {
      case 'save': {
        const saved = await caller.costCenters.save({
          id: formString(form, 'id') || undefined,
          code: formString(form, 'code'),
          name: formString(form, 'name'),
          archived: formString(form, 'archived') === 'true',
        })
        return {
          ok: true,
          intent,
          notice: saved.archived
            ? `“${saved.name}” archived: it takes no new usage.`
            : `Cost centre “${saved.name}” (${saved.code}) saved.`,
        }
      }
      case 'assignMember':
      case 'assignPrompt': {
        const costCenterId = formString(form, 'costCenterId') || null
        if (intent === 'assignMember')
          await caller.costCenters.assign({ target: 'member', userId: formString(form, 'target'), costCenterId })
        else await caller.costCenters.assign({ target: 'prompt', promptId: formString(form, 'target'), costCenterId })
        return { ok: true, intent, notice: 'Assignment saved: new usage is allocated accordingly.' }
      }
      case 'assignKey': {
        const list = await caller.costCenters.list()
        const parsed = parseShares(formString(form, 'shares'), new Map(list.costCenters.map((c) => [c.code, c.id])))
        if ('error' in parsed) return { ok: false, intent, field: 'shares', message: parsed.error, target }
        await caller.costCenters.assign({
          target: 'apiKey',
          apiKeyId: formString(form, 'target'),
          shares: parsed.shares,
        })
        return { ok: true, intent, notice: 'The key’s split was saved.' }
      }
      default:
        return { ok: false, intent, field: null, message: 'Unknown action.' }
    }
  } catch (error) {
    return refusal(error, intent, target)
  }
}
