import { roleAtLeast } from '@costwise/core'
import type { SubmissionResult } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { allocationsFormSchema } from '@costwise/core/budgets/allocations'
import type { Viewer } from './auth.server'
import { refusal, type ActionResult } from './lib/action-result.server'
import { replyWithError } from './lib/errors.server'
import { formString } from './lib/form-data'

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

/** Invite, revoke, change role, remove, transfer ownership, leave, and split a team budget among members. */
export async function teamAction({ caller }: Viewer, form: FormData): Promise<TeamActionData | Response> {
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

/** An allocation refused, by the form's schema or by the procedure: Conform's result for that budget's form. */
export interface AllocationRefusal {
  ok: false
  intent: 'allocate'
  target: string
  reply: SubmissionResult
}

export type TeamActionData = ActionResult | AllocationRefusal

/** The allocation form (core's `allocationsFormSchema`, the one the browser checks), then `budgets.setAllocations`. */
async function allocate(caller: Viewer['caller'], form: FormData): Promise<TeamActionData> {
  const intent = 'allocate'
  const target = formString(form, 'budgetId')
  const submission = parseWithZod(form, { schema: allocationsFormSchema })
  if (submission.status !== 'success') return { ok: false, intent, target, reply: submission.reply() }
  try {
    const saved = await caller.budgets.setAllocations(submission.value)
    return {
      ok: true,
      intent,
      notice: `Allocations saved: $${saved.allocatedUsd} allocated, $${saved.unallocatedUsd} stays with the team.`,
    }
  } catch (error) {
    return { ok: false, intent, target, reply: replyWithError(submission, error) }
  }
}
