import { useEffect, useState } from 'react'

let hydrated = false

/** False during server rendering and the first client render, true afterwards. */
export function useHydrated(): boolean {
  const [isHydrated, setIsHydrated] = useState(hydrated)
  useEffect(() => {
    hydrated = true
    setIsHydrated(true)
  }, [])
  return isHydrated
}
