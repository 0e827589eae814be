import { useRouteLoaderData } from '@remix-run/react'
import type { loader as appLoader } from '../routes/_app'
import { teamDisplay, type TimeDisplay } from './format'

/** The signed-in team's time display (zone and 12/24-hour clock), from the app frame's loader. */
export function useTimeDisplay(): TimeDisplay {
  return teamDisplay(useRouteLoaderData<typeof appLoader>('routes/_app')?.display)
}
