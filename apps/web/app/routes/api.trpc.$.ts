import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { handleTrpc } from '../trpc.server'

export const loader = ({ request }: LoaderFunctionArgs) => handleTrpc(request)
export const action = ({ request }: ActionFunctionArgs) => handleTrpc(request)
