import { render, screen, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import type { OutboxMessageView, PreviewView, RunView } from '../../reports.server'
import { renderAt } from '../../test/render'
import { OutboxPage } from './outbox'
import { RunHistory } from './report-lists'
import { ReportPreview } from './report-preview'

const preview: PreviewView = {
  from: '2026-11-17',
  to: '2026-11-23',
  summary: 'Cost and runs · by model · last 7 days',
  figures: [
    { metric: 'cost', label: 'Cost', value: '$13.71', previous: '$13.30' },
    { metric: 'runs', label: 'Runs', value: '2,082', previous: '2,031' },
  ],
  groupLabel: 'model',
  columns: [
    { metric: 'cost', label: 'Cost' },
    { metric: 'runs', label: 'Runs' },
  ],
  rows: [
    { key: 'gpt-4o', values: ['$3.69', '347'] },
    { key: 'o4-mini', values: ['$2.31', '283'] },
  ],
  more: 3,
  empty: false,
}

describe('ReportPreview', () => {
  it('shows the headline figures and a table of groups', () => {
    render(<ReportPreview view={preview} stale={false} />)
    expect(screen.getByRole('heading', { name: 'Preview · 2026-11-17 to 2026-11-23' })).toBeTruthy()
    expect(screen.getByTestId('preview-cost').textContent).toContain('$13.71')
    expect(screen.getByTestId('preview-cost').textContent).toContain('previous period: $13.30')
    const table = screen.getByTestId('preview-groups')
    expect(
      within(table)
        .getAllByRole('columnheader')
        .map((h) => h.textContent),
    ).toEqual(['Model', 'Cost', 'Runs'])
    expect(within(table).getByRole('rowheader', { name: 'gpt-4o' })).toBeTruthy()
    expect(screen.getByText('…and 3 more in the report.')).toBeTruthy()
    expect(screen.queryByText(/has changed since this preview/)).toBeNull()
  })

  it('says when it is out of date, and when the report would be empty', () => {
    render(<ReportPreview view={{ ...preview, empty: true, rows: [], more: 0 }} stale />)
    expect(screen.getByText(/has changed since this preview/)).toBeTruthy()
    expect(screen.getByText(/the report would be empty/)).toBeTruthy()
    expect(screen.queryByTestId('preview-groups')).toBeNull()
  })
})

const run = (changes: Partial<RunView>): RunView => ({
  id: 'r1',
  name: 'Weekly',
  trigger: 'manual',
  format: 'PDF',
  status: 'done',
  range: '2026-11-17 to 2026-11-23',
  recipients: 2,
  size: '3.3 KB',
  error: null,
  created: 'Nov 24, 2026, 04:54',
  finished: 'Nov 24, 2026, 04:54',
  downloadHref: '/dashboard/reports/runs/r1/download',
  ...changes,
})

describe('RunHistory', () => {
  it('links the file of finished runs only', () => {
    renderAt(
      <RunHistory
        runs={[
          run({}),
          run({ id: 'r2', status: 'running', downloadHref: null, finished: null, range: null, size: null }),
        ]}
      />,
    )
    const rows = screen.getAllByTestId('run-row')
    expect(rows.map((r) => r.getAttribute('data-status'))).toEqual(['done', 'running'])
    expect(within(rows[0]!).getByRole('link', { name: 'Download PDF' }).getAttribute('href')).toBe(
      '/dashboard/reports/runs/r1/download',
    )
    expect(within(rows[1]!).queryByRole('link')).toBeNull()
    expect(rows[1]!.textContent).toContain('not ready yet')
  })

  it('has an empty state', () => {
    renderAt(<RunHistory runs={[]} />)
    expect(screen.getByTestId('runs-empty')).toBeTruthy()
  })
})

const message: OutboxMessageView = {
  id: 'm1',
  kind: 'report',
  to: 'cto@example.com',
  subject: '[Costwise] Demo Team usage report',
  text: 'The full report is attached (report.pdf).',
  status: 'outbox',
  attempts: 1,
  lastError: null,
  created: 'Nov 24, 2026, 04:54',
  sent: null,
  attachments: [{ filename: 'report.pdf', contentType: 'application/pdf' }],
}

describe('OutboxPage', () => {
  it('lists messages with their status, attachments and text, and the success rate', () => {
    render(
      <OutboxPage
        data={{
          allowed: true,
          timeZone: 'UTC',
          messages: [
            message,
            { ...message, id: 'm2', status: 'failed', attempts: 5, lastError: 'connection refused', attachments: [] },
          ],
          delivery: { attempts: 6, succeeded: 1, notSent: 0, successRate: '16.7 %' },
        }}
      />,
    )
    expect(screen.getByTestId('success-rate').textContent).toBe('16.7 %')
    const [first, second] = screen.getAllByTestId('outbox-message')
    expect(within(first!).getByTestId('outbox-attachments').textContent).toContain('report.pdf')
    expect(within(first!).getByTestId('status-badge').textContent).toBe('not sent')
    expect(screen.queryByTestId('outbox-not-sent')).toBeNull()
    expect(first!.textContent).toContain('The full report is attached (report.pdf).')
    expect(within(second!).getByTestId('outbox-error').textContent).toBe('Last error: connection refused')
    expect(second!.textContent).toContain('5 attempts')
  })

  it('with no SMTP server, says the mail was not sent, why, and how to configure it — never "sent, 100 %"', () => {
    render(
      <OutboxPage
        data={{
          allowed: true,
          timeZone: 'UTC',
          messages: [message],
          delivery: { attempts: 0, succeeded: 0, notSent: 1, successRate: null },
        }}
      />,
    )
    const notice = screen.getByTestId('outbox-not-sent').textContent ?? ''
    expect(notice).toContain('1 email was not sent: no mail server (SMTP) is configured.')
    expect(notice).toContain('SMTP_URL')
    expect(notice).toContain('docs/admin-guide.md')
    expect(screen.getByTestId('success-rate').textContent).toBe('Nothing sent')
    const row = screen.getByTestId('outbox-message')
    expect(within(row).getByTestId('status-badge').textContent).toBe('not sent')
    expect(row.textContent).toContain('· not sent')
    expect(row.textContent).not.toMatch(/\bsent \d/)
  })

  it('explains when the viewer may not see it', () => {
    render(<OutboxPage data={{ allowed: false, reason: 'Owners and admins only.' }} />)
    expect(screen.getByTestId('outbox-forbidden').textContent).toContain('Owners and admins only.')
  })
})
