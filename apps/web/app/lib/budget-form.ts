// The budget form: core's `budgetFormSchema` validates it in the browser (through Conform, as you type and on submit)
// and in the action, so both check exactly what `budgets.save` checks. This file only holds its starting values.

import { typedPositiveUsdSchema } from '@costwise/core/money'

export { budgetFormSchema } from '@costwise/core/budgets/input'

/** The form's values as the inputs hold them (all strings), e.g. a saved budget to edit. */
export type BudgetFormValues = {
  id: string
  name: string
  scope: string
  userId: string
  apiKeyId: string
  promptId: string
  period: string
  limitUsd: string
  mode: string
  thresholds: string
  timeZone: string
}

export const EMPTY_BUDGET_FORM: BudgetFormValues = {
  id: '',
  name: '',
  scope: 'team',
  userId: '',
  apiKeyId: '',
  promptId: '',
  period: 'month',
  limitUsd: '',
  mode: 'hard',
  thresholds: '50, 80, 100',
  timeZone: '',
}

/** Why an amount typed in a form is not a positive USD amount (core's rule, as the budget form checks it), or null. */
export function validateLimit(raw: string): string | null {
  return typedPositiveUsdSchema.safeParse(raw).error?.issues[0]?.message ?? null
}
