import { AppError, normalizeModelName } from '@costwise/core'
import type { TeamScope } from '../trpc'

/**
 * Refuses (403, naming the model) a call for a model the caller's API key is not limited to. Keys without a
 * model list, and people, may use any model.
 */
export function assertModelsAllowed(team: TeamScope, models: Iterable<string>, field = 'model'): void {
  if (!team.allowedModels) return
  const allowed = new Set(team.allowedModels)
  for (const model of models) {
    if (!allowed.has(normalizeModelName(model))) {
      throw new AppError(
        'FORBIDDEN',
        `This API key may not use the model "${model}"; it may use ${team.allowedModels.join(', ')}.`,
        {
          field,
          details: { model, allowedModels: team.allowedModels },
        },
      )
    }
  }
}
