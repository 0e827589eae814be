import type { ActionFunctionArgs } from '@remix-run/node'
import { labEstimate } from '../lab.server'

// POST /api/lab/estimate: the server's estimate of a Lab draft (lab.estimate) with the draft in the body — a long
// prompt doesn't fit a GET query string. The Lab shows it until the browser's own counter is ready.
export const action = ({ request }: ActionFunctionArgs) => labEstimate(request)
