import { createContext, useContext, type ReactNode } from 'react'
import { teamDisplay, type TimeDisplay } from './format'

// The signed-in team's time display (zone and 12/24-hour clock). The app frame (routes/_app.tsx) provides it from
// its loader; outside it (tests, error pages) times read in UTC on the 12-hour clock.
const TimeDisplayContext = createContext<TimeDisplay>(teamDisplay(null))

export function TimeDisplayProvider({ value, children }: { value: TimeDisplay; children: ReactNode }) {
  return <TimeDisplayContext.Provider value={value}>{children}</TimeDisplayContext.Provider>
}

export function useTimeDisplay(): TimeDisplay {
  return useContext(TimeDisplayContext)
}
