import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { handleRest } from '../trpc.server'

export const loader = ({ request }: LoaderFunctionArgs) => handleRest(request)
export const action = ({ request }: ActionFunctionArgs) => handleRest(request)
