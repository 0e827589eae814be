/** What a team form post answered (see `ActionResult` in lib/action-result.server). */
export interface Answer {
  ok: boolean
  intent: string
  field?: string | null
  message?: string
  notice?: string
  target?: string
}

/** The answer to the last form post: a status when it worked, an alert when it was refused. */
export function ActionNotice({ answer, testId }: { answer: Answer | undefined; testId: string }) {
  if (!answer) return null
  return (
    <p
      role={answer.ok ? 'status' : 'alert'}
      data-testid={testId}
      className={`mb-4 rounded-md px-3 py-2 text-sm ${answer.ok ? 'bg-emerald-50 text-emerald-900 dark:bg-emerald-500/15 dark:text-emerald-100' : 'bg-red-50 text-red-800 dark:bg-red-500/15 dark:text-red-200'}`}
    >
      {answer.ok ? answer.notice : answer.message}
    </p>
  )
}
