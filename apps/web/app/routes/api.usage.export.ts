import type { LoaderFunctionArgs } from '@remix-run/node'
import { handleExport } from '../trpc.server'

export const loader = ({ request }: LoaderFunctionArgs) => handleExport(request)
