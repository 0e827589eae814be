import { parseWithZod } from '@conform-to/zod/v4'
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react'
import { createMemoryRouter, RouterProvider } from 'virtual:react-router-dom'
import { describe, expect, it } from 'vitest'
import { EMPTY_REPORT_FORM, reportFormSchema } from '../../lib/report-form'
import type { PreviewView, ReportActionData } from '../../reports.server'
import { ReportBuilder } from './report-builder'

const preview: PreviewView = {
  from: '2026-11-17',
  to: '2026-11-23',
  summary: 'Cost · by day · last 7 days · only tag env:prod',
  figures: [{ metric: 'cost', label: 'Cost', value: '$1.00', previous: '$0.50' }],
  groupLabel: 'day',
  columns: [{ metric: 'cost', label: 'Cost' }],
  rows: [{ key: '2026-11-17', values: ['$1.00'] }],
  more: 0,
  empty: false,
}

/**
 * The builder on a page whose action parses the post with core's form schema, as reports.server does (the procedures
 * are replaced by their answers); `posted` keeps what reached it.
 */
function renderBuilder() {
  const posted: FormData[] = []
  const action = async ({ request }: { request: Request }): Promise<ReportActionData> => {
    const form = await request.formData()
    posted.push(form)
    const submission = parseWithZod(form, { schema: reportFormSchema })
    if (submission.status !== 'success') return { ok: false, intent: 'save', result: submission.reply() }
    const value = submission.value
    if (value.intent === 'preview') return { ok: true, intent: 'preview', preview, result: submission.reply() }
    if (value.intent === 'send') return { ok: true, intent: 'send', runId: 'r1', result: submission.reply() }
    return {
      ok: true,
      intent: 'save',
      savedId: 's1',
      savedName: value.name,
      result: submission.reply({ resetForm: true }),
    }
  }
  const element = (
    <ReportBuilder
      initial={EMPTY_REPORT_FORM}
      editingName={null}
      canSchedule
      canEdit
      timeZone="Europe/Paris"
      options={{ models: ['gpt-4o'], providers: ['openai'] }}
    />
  )
  const router = createMemoryRouter([{ path: '/', element, action }], { initialEntries: ['/'], future })
  render(<RouterProvider router={router} future={{ v7_startTransition: true }} />)
  return { posted }
}

const future = {
  v7_relativeSplatPath: true,
  v7_fetcherPersist: true,
  v7_normalizeFormMethod: true,
  v7_partialHydration: true,
  v7_skipActionErrorRevalidation: true,
}
const type = (el: HTMLElement, value: string) => fireEvent.input(el, { target: { value } })
const fieldError = (name: string) => document.querySelector(`[data-field-error$="${name}"]`)?.textContent ?? null

describe('ReportBuilder (Conform with core’s reportFormSchema)', () => {
  it('checks recipients as you leave the field, and clears the error once they are fixed', async () => {
    renderBuilder()
    const recipients = await screen.findByLabelText('Recipients')
    await waitFor(() => expect((recipients as HTMLTextAreaElement).disabled).toBe(false))
    type(recipients, 'finance@example.com, not-an-email')
    fireEvent.focusOut(recipients)
    await waitFor(() => expect(fieldError('recipients')).toBe('“not-an-email” is not an email address.'))
    expect(recipients.getAttribute('aria-invalid')).toBe('true')
    type(recipients, 'finance@example.com\ncto@example.com')
    await waitFor(() => expect(fieldError('recipients')).toBeNull())
  })

  it('shows every error next to its field on Save, without posting', async () => {
    const { posted } = renderBuilder()
    const builder = await screen.findByRole('form', { name: 'Build a report' })
    await waitFor(() => expect((within(builder).getByLabelText('Cost') as HTMLInputElement).disabled).toBe(false))
    for (const metric of ['Cost', 'Tokens', 'Runs']) fireEvent.click(within(builder).getByLabelText(metric))
    fireEvent.click(within(builder).getByRole('button', { name: 'Save report' }))
    await waitFor(() =>
      expect(document.querySelector('[data-field-error="metrics"]')?.textContent).toBe('Pick at least one metric.'),
    )
    expect(fieldError('name')).toBe('Give the report a name.')
    expect(fieldError('recipients')).toContain('at least one recipient')
    expect(posted).toHaveLength(0)
  })

  it('previews with a free-form feature and tags, then saves and starts afresh', async () => {
    const { posted } = renderBuilder()
    const builder = await screen.findByRole('form', { name: 'Build a report' })
    const feature = within(builder).getByLabelText('Feature')
    await waitFor(() => expect((feature as HTMLInputElement).disabled).toBe(false))
    type(feature, 'support-bot/summary')
    type(within(builder).getByLabelText('Tags'), 'env:prod, customer:acme')
    fireEvent.click(within(builder).getByRole('button', { name: 'Preview' }))
    await screen.findByTestId('report-preview')
    expect(posted[0]!.get('intent')).toBe('preview')
    expect(posted[0]!.get('feature')).toBe('support-bot/summary')
    expect(posted[0]!.get('tags')).toBe('env:prod, customer:acme')

    type(within(builder).getByLabelText('Report name'), 'Weekly by tag')
    type(within(builder).getByLabelText('Recipients'), 'finance@example.com')
    fireEvent.click(within(builder).getByRole('button', { name: 'Save report' }))
    await waitFor(() => expect(screen.getByTestId('report-notice').textContent).toBe('Saved “Weekly by tag”.'))
    expect(posted[1]!.get('intent')).toBe('save')
    await waitFor(() => expect((within(builder).getByLabelText('Report name') as HTMLInputElement).value).toBe(''))
    expect((within(builder).getByLabelText('Tags') as HTMLInputElement).value).toBe('')
  })
})
