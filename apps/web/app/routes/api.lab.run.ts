import type { ActionFunctionArgs } from '@remix-run/node'
import { handleLabRun } from '../lab.server'

export const action = ({ request }: ActionFunctionArgs) => handleLabRun(request)
