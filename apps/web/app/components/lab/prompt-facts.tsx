import { describeScore } from '@costwise/core'
import { Link } from '@remix-run/react'
import type { SavedPrompt } from '../../lib/lab/preview'
import { ScoreBadge } from '../usage/top-prompts'

/** A saved prompt's version, caching guidance and efficiency score (docs/recommendations.md). */
export function PromptFacts({ prompt }: { prompt: SavedPrompt }) {
  return (
    <p
      className="flex flex-wrap items-center gap-x-3 gap-y-1 text-sm text-gray-600 dark:text-gray-400"
      data-testid="prompt-facts"
    >
      {prompt.efficiency ? (
        <span>
          Efficiency <ScoreBadge score={prompt.efficiency.score} parts={describeScore(prompt.efficiency.components)} />
          <span className="text-gray-500">/100 · {describeScore(prompt.efficiency.components)}</span>
        </span>
      ) : (
        <span>Efficiency: scored at the next recommendation refresh</span>
      )}
      {prompt.version ? <span>Version {prompt.version}</span> : null}
      {prompt.caching ? <span>Caching guidance on: runs share one provider cache for the stable prefix</span> : null}
      <Link
        to="/dashboard/recommendations"
        className="font-medium text-indigo-700 hover:underline dark:text-indigo-300"
      >
        Recommendations
      </Link>
    </p>
  )
}
