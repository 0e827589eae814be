import { useEffect, useState } from 'react'

/**
 * The unread alert count: the value the layout's loader gave (which revalidates after every action, e.g.
 * acknowledging), kept fresh between navigations by polling the REST endpoint while the tab is visible.
 */
export function useUnreadCount(fromLoader: number, intervalMs = 30_000): number {
  const [count, setCount] = useState(fromLoader)
  useEffect(() => setCount(fromLoader), [fromLoader])
  useEffect(() => {
    let stopped = false
    const poll = async () => {
      if (document.visibilityState !== 'visible') return
      try {
        const response = await fetch('/api/alerts/unread-count', { headers: { accept: 'application/json' } })
        if (!response.ok) return
        const body = (await response.json()) as { count?: unknown }
        if (!stopped && typeof body.count === 'number') setCount(body.count)
      } catch {
        // Offline or restarting: keep the last count.
      }
    }
    const timer = window.setInterval(poll, intervalMs)
    document.addEventListener('visibilitychange', poll)
    return () => {
      stopped = true
      window.clearInterval(timer)
      document.removeEventListener('visibilitychange', poll)
    }
  }, [intervalMs])
  return count
}
