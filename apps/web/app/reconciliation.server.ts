import { formatUsd, usdToNano } from '@costwise/core'
import { data, redirect } from '@remix-run/node'
import { formError } from './lib/errors.server'
import { z } from 'zod'
import type { Viewer } from './auth.server'

const querySchema = z.object({
  provider: z.enum(['openai', 'anthropic']).catch('openai'),
  month: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/)
    .catch(() => new Date().toISOString().slice(0, 7)),
})

const money = (usd: string) => formatUsd(usdToNano(usd))
const MAX_BYTES = 5_000_000

export async function loadReconciliationPage({ me, caller }: Viewer, url: URL) {
  const query = querySchema.parse(Object.fromEntries(url.searchParams))
  const role = me.activeTeam?.role ?? null
  if (!me.activeTeam) return { query, canImport: false, report: null, imports: [] }
  const [report, imports] = await Promise.all([caller.reconciliation.get(query), caller.reconciliation.imports()])
  return {
    query,
    canImport: role === 'owner' || role === 'admin',
    imports: imports.imports.map((i) => ({
      provider: i.provider,
      month: i.month.slice(0, 7),
      fileName: i.fileName,
      total: money(i.totalUsd),
    })),
    report: {
      imported: report.imported,
      providerTotal: money(report.providerTotalUsd),
      trackedTotal: money(report.trackedTotalUsd),
      missing: money(report.missingUsd),
      missingUsd: report.missingUsd,
      over: money(report.overUsd),
      overUsd: report.overUsd,
      captureRatePct: report.captureRatePct,
      rows: report.rows.map((r) => ({
        day: r.day,
        model: r.model || 'all models',
        provider: money(r.providerUsd),
        tracked: money(r.trackedUsd),
        difference:
          r.differenceUsd === '0'
            ? '—'
            : `${r.differenceUsd.startsWith('-') ? '−' : '+'}${money(r.differenceUsd.replace(/^-/, ''))}`,
        missing: !r.differenceUsd.startsWith('-') && r.differenceUsd !== '0',
        unpricedRuns: r.unpricedRuns,
      })),
    },
  }
}

export type ReconciliationActionData = { ok: false; field: string | null; message: string }

/** Uploads a provider's cost export for the chosen provider and month, then shows the comparison. */
export async function reconciliationAction({ caller }: Viewer, request: Request) {
  const form = await request.formData()
  const file = form.get('file')
  const provider = String(form.get('provider') ?? '')
  const month = String(form.get('month') ?? '')
  if (!(file instanceof File) || file.size === 0)
    return data<ReconciliationActionData>(
      { ok: false, field: 'file', message: 'Choose the export file.' },
      { status: 400 },
    )
  if (file.size > MAX_BYTES)
    return data<ReconciliationActionData>(
      { ok: false, field: 'file', message: 'The export is larger than 5 MB.' },
      { status: 400 },
    )
  try {
    await caller.reconciliation.import({
      provider: provider as 'openai',
      month,
      fileName: file.name,
      content: await file.text(),
    })
  } catch (error) {
    const { field, message, status } = formError(error, {
      FORBIDDEN: 'Only owners and admins can import cost exports.',
    })
    return data<ReconciliationActionData>({ ok: false, field, message }, { status })
  }
  return redirect(
    `/dashboard/reconciliation?provider=${encodeURIComponent(provider)}&month=${encodeURIComponent(month)}`,
  )
}
