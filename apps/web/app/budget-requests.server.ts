import type { Viewer } from './auth.server'
import { validateLimit } from './lib/budget-form'
import { formString } from './lib/form-data'
import { refusal, type ActionResult } from './lib/action-result.server'

export const REQUEST_STATUSES = ['pending', 'approved', 'denied', 'expired'] as const
export type RequestStatus = (typeof REQUEST_STATUSES)[number]

/** The requests page: one state at a time (pending first), with the count of each, and the viewer's in-app notices. */
export async function loadRequestsPage({ me, caller }: Viewer, url: URL) {
  const raw = url.searchParams.get('status')
  const status: RequestStatus = (REQUEST_STATUSES as readonly string[]).includes(raw ?? '')
    ? (raw as RequestStatus)
    : 'pending'
  const [list, notices] = await Promise.all([
    caller.budgetRequests.list({ status }),
    caller.notifications.list({ limit: 20 }),
  ])
  return { status, ...list, notices, teamTimeZone: me.activeTeam?.timeZone ?? 'UTC' }
}

const amountOf = (form: FormData) => formString(form, 'amountUsd').trim().replace(/^\$/, '').replace(/,/g, '')

/** Asks for more (from the Lab's warning, the budgets page or this page), approves or denies. */
export async function requestsAction({ caller }: Viewer, form: FormData): Promise<ActionResult> {
  const intent = formString(form, 'intent')
  try {
    if (intent === 'create') {
      const amountError = validateLimit(formString(form, 'amountUsd'))
        ? 'Enter the amount you need in USD, e.g. 5 or 0.50.'
        : null
      if (amountError) return { ok: false, intent, field: 'amountUsd', message: amountError }
      const reason = formString(form, 'reason').trim()
      if (!reason) return { ok: false, intent, field: 'reason', message: 'Say what the extra budget is for.' }
      const duration = formString(form, 'duration') === 'permanent' ? 'permanent' : 'period'
      await caller.budgetRequests.create({
        budgetId: formString(form, 'budgetId'),
        amountUsd: amountOf(form),
        reason,
        duration,
      })
      return {
        ok: true,
        intent,
        notice: 'Request sent: the team’s admins were told, and you will be when they answer.',
      }
    }
    if (intent === 'approve') {
      const amount = amountOf(form)
      if (amount && validateLimit(amount))
        return {
          ok: false,
          intent,
          field: 'amountUsd',
          message: 'Write the amount as dollars, e.g. 5 or 0.50.',
          target: formString(form, 'id'),
        }
      const approved = await caller.budgetRequests.approve({
        id: formString(form, 'id'),
        amountUsd: amount || undefined,
        comment: formString(form, 'comment').trim() || undefined,
      })
      return {
        ok: true,
        intent,
        notice: `Approved $${approved.approvedAmountUsd}; the budget’s limit is now $${approved.limitUsd}.`,
      }
    }
    if (intent === 'markRead') {
      const { marked } = await caller.notifications.markRead({ ids: null })
      return { ok: true, intent, notice: `${marked} notice${marked === 1 ? '' : 's'} marked read.` }
    }
    if (intent === 'deny') {
      await caller.budgetRequests.deny({
        id: formString(form, 'id'),
        comment: formString(form, 'comment').trim() || undefined,
      })
      return { ok: true, intent, notice: 'Request denied; the requester was told.' }
    }
    return { ok: false, intent, field: null, message: 'Unknown action.' }
  } catch (error) {
    return refusal(error, intent, formString(form, 'id') || undefined)
  }
}
