import type { SubmissionResult } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { budgetRequestFormSchema, requestDecisionFormSchema } from '@costwise/core/budgets/requests'
import type { Viewer } from './auth.server'
import { refusal, type ActionResult } from './lib/action-result.server'
import { replyWithError } from './lib/errors.server'
import { formString } from './lib/form-data'

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

/**
 * A create or a decision refused, by the form's schema or by the procedure: Conform's result for the form that posted
 * (its errors by field, the values as posted), and `target`, the request a decision was about.
 */
export interface RequestFormRefusal {
  ok: false
  intent: string
  reply: SubmissionResult
  target?: string
}

export type RequestsActionData = ActionResult | RequestFormRefusal

/**
 * Asks for more (from the Lab's warning, the budgets page or this page), approves or denies. A request and a decision
 * are parsed with their form's schema (the one the browser checks) before the procedure is called.
 */
export async function requestsAction({ caller }: Viewer, form: FormData): Promise<RequestsActionData> {
  const intent = formString(form, 'intent')
  if (intent === 'create') {
    const submission = parseWithZod(form, { schema: budgetRequestFormSchema })
    if (submission.status !== 'success') return { ok: false, intent, reply: submission.reply() }
    try {
      await caller.budgetRequests.create(submission.value)
    } catch (error) {
      return { ok: false, intent, reply: replyWithError(submission, error) }
    }
    return {
      ok: true,
      intent,
      notice: 'Request sent: the team’s admins were told, and you will be when they answer.',
    }
  }
  if (intent === 'approve' || intent === 'deny') {
    const target = formString(form, 'id') || undefined
    const submission = parseWithZod(form, { schema: requestDecisionFormSchema })
    if (submission.status !== 'success') return { ok: false, intent, reply: submission.reply(), target }
    const { intent: decision, ...input } = submission.value
    try {
      if (decision === 'deny') {
        await caller.budgetRequests.deny(input)
        return { ok: true, intent, notice: 'Request denied; the requester was told.' }
      }
      const approved = await caller.budgetRequests.approve(input)
      return {
        ok: true,
        intent,
        notice: `Approved $${approved.approvedAmountUsd}; the budget’s limit is now $${approved.limitUsd}.`,
      }
    } catch (error) {
      return { ok: false, intent, reply: replyWithError(submission, error), target }
    }
  }
  try {
    if (intent === 'markRead') {
      const { marked } = await caller.notifications.markRead({ ids: null })
      return { ok: true, intent, notice: `${marked} notice${marked === 1 ? '' : 's'} marked read.` }
    }
    return { ok: false, intent, field: null, message: 'Unknown action.' }
  } catch (error) {
    return refusal(error, intent)
  }
}
