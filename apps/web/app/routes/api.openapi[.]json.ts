import type { LoaderFunctionArgs } from '@remix-run/node'
import { openApi } from '../trpc.server'

export const loader = ({ request }: LoaderFunctionArgs) => openApi(request)
