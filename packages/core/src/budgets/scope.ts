/** What a budget covers: the whole team, or one user, API key or prompt of it. */
export interface BudgetScopeRef {
  scope: 'team' | 'user' | 'api_key' | 'prompt'
  userId: string | null
  apiKeyId: string | null
  promptId: string | null
}

/** Who and what a model call is for. */
export interface CallRef {
  userId: string | null
  apiKeyId: string | null
  promptId: string | null
}

/** Whether a call counts against a budget. */
export function budgetApplies(budget: BudgetScopeRef, call: CallRef): boolean {
  switch (budget.scope) {
    case 'team':
      return true
    case 'user':
      return call.userId !== null && call.userId === budget.userId
    case 'api_key':
      return call.apiKeyId !== null && call.apiKeyId === budget.apiKeyId
    case 'prompt':
      return call.promptId !== null && call.promptId === budget.promptId
  }
}
