import { Link, useRevalidator, useSearchParams } from '@remix-run/react'
import { useEffect } from 'react'
import type { ReportsPageData } from '../../reports.server'
import { EMPTY_REPORT_FORM } from '../../lib/report-form'
import { EmptyState } from '../empty-state'
import { DocumentIcon } from '../icons'
import { PageHeader } from '../page-header'
import { buttonSecondary } from '../usage/styles'
import { ReportBuilder } from './report-builder'
import { RunHistory, SavedReports } from './report-lists'

const POLL_MS = 2000

export function ReportsPage({ data }: { data: ReportsPageData }) {
  const [params] = useSearchParams()
  const editId = params.get('edit')
  const editing = editId ? data.reports.find((r) => r.id === editId) : undefined
  useRunPolling(data.runs.some((r) => r.status === 'queued' || r.status === 'running'))

  if (!data.hasTeam) {
    return (
      <>
        <PageHeader title="Reports" description="Summaries of spending, on a schedule or on demand." />
        <EmptyState title="No team yet" icon={<DocumentIcon className="h-6 w-6" />}>
          <p>Reports summarise a team’s usage. Join or create a team first.</p>
        </EmptyState>
      </>
    )
  }

  return (
    <>
      <PageHeader
        title="Reports"
        description="Summaries of spending, emailed on a schedule or sent on demand as PDF or CSV."
        actions={
          editing ? (
            <Link to="?" className={buttonSecondary}>
              New report
            </Link>
          ) : null
        }
      />
      <div className="grid grid-cols-1 gap-6 xl:grid-cols-5">
        <div className="xl:col-span-3">
          <ReportBuilder
            // A new key starts the builder afresh when another report is opened for editing.
            key={editing?.id ?? 'new'}
            initial={editing?.form ?? EMPTY_REPORT_FORM}
            initialNotice={!editing && params.get('saved') ? `Saved “${params.get('saved')}”.` : null}
            editingName={editing?.name ?? null}
            canSchedule={data.canSchedule}
            canEdit={data.canEdit}
            timeZone={data.timeZone}
            options={data.options}
          />
        </div>
        <div className="xl:col-span-2">
          <SavedReports reports={data.reports} canAct={data.canSchedule} canEdit={data.canEdit} />
        </div>
      </div>
      <div className="mt-6">
        <RunHistory runs={data.runs} />
      </div>
    </>
  )
}

/** While a run is queued or running, reload the page's data every few seconds so its status moves on. */
function useRunPolling(active: boolean) {
  const revalidator = useRevalidator()
  useEffect(() => {
    if (!active) return
    const timer = setInterval(() => {
      if (revalidator.state === 'idle' && document.visibilityState === 'visible') revalidator.revalidate()
    }, POLL_MS)
    return () => clearInterval(timer)
  }, [active, revalidator])
}
