import { roleAtLeast } from '@costwise/core'
import type { Viewer } from './auth.server'
import { validateLimit } from './lib/budget-form'
import { formString } from './lib/form-data'
import { refusal, type ActionResult } from './lib/action-result.server'

type Role = 'owner' | 'admin' | 'member' | 'viewer'

/** The team page: members, open invitations (owners and admins), and how each team budget is split among members. */
export async function loadTeamPage({ me, caller }: Viewer) {
  const role = me.activeTeam?.role ?? 'viewer'
  const isAdmin = roleAtLeast(role, 'admin')
  const [members, invites, budgetList] = await Promise.all([
    caller.teams.members(),
    isAdmin ? caller.teams.invites() : Promise.resolve([]),
    caller.budgets.list(),
  ])
  const teamBudgets = budgetList.budgets.filter((b) => b.scope === 'team' && !b.parentBudgetId)
  const allocations = await Promise.all(teamBudgets.map((b) => caller.budgets.allocations({ budgetId: b.id })))
  return {
    team: { name: me.activeTeam?.name ?? 'your team', timeZone: me.activeTeam?.timeZone ?? 'UTC' },
    role,
    isAdmin,
    isOwner: role === 'owner',
    members,
    invites,
    budgets: teamBudgets.map((b, i) => ({ id: b.id, name: b.name, period: b.period, ...allocations[i]! })),
  }
}

const usd = (raw: string) => raw.trim().replace(/^\$/, '').replace(/,/g, '')

/** Invite, revoke, change role, remove, transfer ownership, leave, and split a team budget among members. */
export async function teamAction({ caller }: Viewer, form: FormData): Promise<ActionResult | Response> {
  const intent = formString(form, 'intent')
  const userId = formString(form, 'userId')
  try {
    switch (intent) {
      case 'invite': {
        const email = formString(form, 'email').trim()
        if (!email) return { ok: false, intent, field: 'email', message: 'Enter the email address to invite.' }
        const role = formString(form, 'role') || 'member'
        const invite = await caller.teams.invite({ email, role: role as 'member' })
        return { ok: true, intent, notice: `Invitation sent to ${invite.email}; the link works for 7 days.` }
      }
      case 'revokeInvite':
        await caller.teams.revokeInvite({ id: formString(form, 'id') })
        return { ok: true, intent, notice: 'Invitation withdrawn: its link no longer works.' }
      case 'changeRole':
        await caller.teams.changeRole({ userId, role: formString(form, 'role') as Role })
        return { ok: true, intent, notice: 'Role changed.' }
      case 'remove':
        await caller.teams.removeMember({ userId })
        return {
          ok: true,
          intent,
          notice: `${formString(form, 'label') || 'The member'} was removed; their allocations returned to the team and their sessions ended.`,
        }
      case 'transfer':
        await caller.teams.transferOwnership({ userId })
        return {
          ok: true,
          intent,
          notice: `${formString(form, 'label') || 'They'} now own the team; you are an admin.`,
        }
      case 'leave':
        await caller.me.leaveTeam({ confirm: true })
        return new Response(null, { status: 303, headers: { Location: '/dashboard' } })
      case 'allocate':
        return await allocate(caller, form)
      default:
        return { ok: false, intent, field: null, message: 'Unknown action.' }
    }
  } catch (error) {
    return refusal(error, intent)
  }
}

/**
 * The allocation form: one row per member (`amount:<userId>`, `mode:<userId>`); an empty amount means no
 * allocation. "Split equally" sends `split=equal` with a total and the members ticked.
 */
async function allocate(caller: Viewer['caller'], form: FormData): Promise<ActionResult> {
  const intent = 'allocate'
  const budgetId = formString(form, 'budgetId')
  const refuse = (field: string, message: string): ActionResult => ({
    ok: false,
    intent,
    field,
    message,
    target: budgetId,
  })
  const modeOf = (id: string) => (formString(form, `mode:${id}`) === 'soft' ? ('soft' as const) : ('hard' as const))
  const userIds = form.getAll('userId').map(String)
  const members: { userId: string; limitUsd?: string; mode: 'hard' | 'soft' }[] = []
  const equal = formString(form, 'split') === 'equal'
  const totalUsd = usd(formString(form, 'totalUsd'))
  if (equal) {
    if (validateLimit(totalUsd)) return refuse('totalUsd', 'Enter the total to split, in USD (e.g. 50).')
    for (const id of userIds) if (form.get(`include:${id}`) === 'on') members.push({ userId: id, mode: modeOf(id) })
    if (members.length === 0) return refuse('members', 'Tick the members to split it among.')
  } else {
    for (const id of userIds) {
      const amount = usd(formString(form, `amount:${id}`))
      if (!amount) continue
      if (validateLimit(amount)) return refuse(`amount:${id}`, 'Write the amount as dollars, e.g. 5 or 0.50.')
      members.push({ userId: id, limitUsd: amount, mode: modeOf(id) })
    }
  }
  try {
    const saved = await caller.budgets.setAllocations(
      equal ? { budgetId, split: 'equal', totalUsd, members } : { budgetId, split: 'custom', members },
    )
    return {
      ok: true,
      intent,
      notice: `Allocations saved: $${saved.allocatedUsd} allocated, $${saved.unallocatedUsd} stays with the team.`,
    }
  } catch (error) {
    const refused = refusal(error, intent, budgetId)
    // "members.2.limitUsd" → that row's amount field, so the error shows next to it.
    const row = /^members\.(\d+)\./.exec(refused.field ?? '')
    const member = row ? members[Number(row[1])] : undefined
    return member ? { ...refused, field: `amount:${member.userId}` } : refused
  }
}
