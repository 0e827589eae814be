import { formatCount } from '../../lib/format'
import { topSegments, type HeatSegment } from '../../lib/lab/heat-map'
import { Card } from '../card'

const shades = [
  'bg-transparent',
  'bg-orange-50 dark:bg-orange-950/40',
  'bg-orange-100 dark:bg-orange-900/50',
  'bg-orange-200 dark:bg-orange-800/60',
  'bg-orange-300 dark:bg-orange-700/70',
] as const

/** The prompt as written, shaded by how many tokens each part (message block, variable value) costs. */
export function TokenHeatMap({ segments }: { segments: HeatSegment[] }) {
  if (segments.every((s) => s.tokens === 0)) return null
  const top = topSegments(segments, 3)
  return (
    <Card className="p-4" data-testid="token-heat-map">
      <h2 className="text-sm font-medium text-gray-900 dark:text-gray-50">Where the tokens go</h2>
      <ol className="mt-2 space-y-1 text-xs text-gray-700 dark:text-gray-300">
        {top.map((s) => (
          <li key={s.id} className="flex justify-between gap-2">
            <span className="truncate">
              <span className="capitalize">{s.message}</span> · {s.kind === 'variable' ? s.label : `“${s.label}”`}
            </span>
            <span className="tabular-nums">
              {formatCount(s.tokens)} ({Math.round(s.share * 100)} %)
            </span>
          </li>
        ))}
      </ol>
      <div
        tabIndex={0}
        role="region"
        aria-label="Prompt shaded by tokens"
        className="mt-3 max-h-64 overflow-auto whitespace-pre-wrap break-words rounded border border-gray-200 p-2 font-mono text-xs dark:border-gray-800"
      >
        {segments.map((s) => (
          <span
            key={s.id}
            className={`${shades[s.level]} ${s.kind === 'variable' ? 'underline decoration-dotted' : ''}`}
            title={`${s.message} · ${s.label}: ${s.tokens} tokens`}
            data-level={s.level}
          >
            {s.text.length > 2000 ? `${s.text.slice(0, 2000)}…` : s.text}
          </span>
        ))}
      </div>
    </Card>
  )
}
