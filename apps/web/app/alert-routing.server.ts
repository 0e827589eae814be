import type { Viewer } from './auth.server'
import { refusal, type ActionResult } from './lib/action-result.server'
import { formString } from './lib/form-data'

/** The alert routing page: the team default route, each budget's own route, the channels and the delivery log. */
export async function loadRoutingPage({ me, caller }: Viewer) {
  const role = me.activeTeam?.role ?? 'viewer'
  if (role !== 'owner' && role !== 'admin') return { canEdit: false as const }
  const [overview, deliveries] = await Promise.all([
    caller.alertRouting.overview(),
    caller.alertRouting.deliveries({ limit: 50 }),
  ])
  return { canEdit: true as const, ...overview, deliveries, teamTimeZone: me.activeTeam?.timeZone ?? 'UTC' }
}

const on = (form: FormData, name: string) => form.get(name) === 'on'

/** Saves a route, adds/changes/deletes a channel, or sends a channel a test event. */
export async function routingAction(
  { caller }: Viewer,
  form: FormData,
): Promise<ActionResult<{ secret?: string | null }>> {
  const intent = formString(form, 'intent')
  const target = formString(form, 'budgetId') || formString(form, 'id') || undefined
  try {
    switch (intent) {
      case 'saveRoute': {
        const budgetId = formString(form, 'budgetId') || null
        const addresses = formString(form, 'addresses')
          .split(/[\s,;]+/)
          .filter(Boolean)
        await caller.alertRouting.saveRoute({
          budgetId,
          inherit: on(form, 'inherit'),
          notifyOwners: on(form, 'notifyOwners'),
          notifyAdmins: on(form, 'notifyAdmins'),
          notifyMember: on(form, 'notifyMember'),
          addresses,
          viaEmail: on(form, 'viaEmail'),
          viaInApp: on(form, 'viaInApp'),
          channelIds: form.getAll('channelIds').map(String),
        })
        return {
          ok: true,
          intent,
          notice: budgetId ? 'The budget’s alert route was saved.' : 'The team’s default alert route was saved.',
        }
      }
      case 'saveChannel': {
        const kind = formString(form, 'kind') === 'slack' ? 'slack' : 'webhook'
        const saved = await caller.alertRouting.saveChannel({
          id: formString(form, 'id') || undefined,
          kind,
          name: formString(form, 'name'),
          url: formString(form, 'url'),
          active: formString(form, 'id') ? on(form, 'active') : true,
          rotateSecret: on(form, 'rotateSecret'),
        })
        const notice =
          saved.secret && kind === 'webhook'
            ? `“${saved.channel.name}” saved. Its signing secret is shown once below: copy it now.`
            : `“${saved.channel.name}” saved.`
        return { ok: true, intent, notice, secret: kind === 'webhook' ? saved.secret : null }
      }
      case 'deleteChannel':
        await caller.alertRouting.deleteChannel({ id: formString(form, 'id') })
        return { ok: true, intent, notice: 'Channel deleted; routes no longer send to it.' }
      case 'testChannel':
        await caller.alertRouting.testChannel({ id: formString(form, 'id') })
        return {
          ok: true,
          intent,
          notice:
            'Test event queued: its delivery shows in the log below (retried with backoff if the receiver fails).',
        }
      default:
        return { ok: false, intent, field: null, message: 'Unknown action.' }
    }
  } catch (error) {
    return refusal(error, intent, target)
  }
}
