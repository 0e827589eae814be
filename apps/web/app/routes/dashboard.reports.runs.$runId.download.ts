import type { LoaderFunctionArgs } from '@remix-run/node'
import { downloadRunArtefact } from '../report-downloads.server'

// GET /dashboard/reports/runs/:runId/download — the generated PDF or CSV of a finished report run.
export async function loader({ request, params }: LoaderFunctionArgs) {
  return downloadRunArtefact(request, params.runId ?? '')
}
