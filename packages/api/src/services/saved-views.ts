import { AppError, USAGE_FILTER_KEYS } from '@costwise/core'
import { savedViews, type Db } from '@costwise/db'
import { z } from 'zod'
import type { TeamScope } from '../trpc'

// Saved views of the usage page: a name and the page's search string (range, filters, breakdown), shared by
// the team. The URL stays the source of truth — applying a view opens its search string.

export const MAX_SAVED_VIEWS = 50
/** The usage page's params a view keeps; anything else (the history cursor, sort) is dropped. */
const VIEW_PARAMS = new Set<string>(['range', 'from', 'to', ...USAGE_FILTER_KEYS, 'trend', 'top', 'by', 'tagKey'])

/** A search string with only the params a view keeps, empty values dropped, in a stable order. */
export function cleanViewQuery(query: string): string {
  const params = new URLSearchParams(query.startsWith('?') ? query.slice(1) : query)
  const kept = new URLSearchParams()
  for (const [key, value] of params) if (VIEW_PARAMS.has(key) && value.trim() !== '') kept.append(key, value.trim())
  kept.sort()
  return kept.toString()
}

export const savedViewSchema = z.object({ id: z.string(), name: z.string(), query: z.string(), createdAt: z.string() })

export const saveViewInputSchema = z.object({
  name: z.string().trim().min(1, 'name is required').max(80, 'name must be at most 80 characters'),
  /** The usage page's search string, e.g. `range=last-7-days&feature=search&tag=env:prod`. */
  query: z.string().max(2000, 'query must be at most 2,000 characters'),
})

const toView = (v: savedViews.SavedViewRecord) => ({
  id: v.id,
  name: v.name,
  query: v.query,
  createdAt: v.createdAt.toISOString(),
})

export async function listViews(db: Db, team: TeamScope) {
  return { items: (await savedViews.listSavedViews(db, team.id)).map(toView) }
}

/** Saves (or replaces, by name) a view of the team; at most {@link MAX_SAVED_VIEWS}. */
export async function saveView(db: Db, team: TeamScope, input: z.output<typeof saveViewInputSchema>) {
  const query = cleanViewQuery(input.query)
  const existing = await savedViews.listSavedViews(db, team.id)
  if (!existing.some((v) => v.name === input.name) && existing.length >= MAX_SAVED_VIEWS) {
    throw new AppError('BAD_INPUT', `name: a team keeps at most ${MAX_SAVED_VIEWS} saved views; delete one first.`, {
      field: 'name',
    })
  }
  return toView(await savedViews.upsertSavedView(db, team.id, { name: input.name, query, createdBy: team.userId }))
}

export async function deleteView(db: Db, team: TeamScope, id: string) {
  if (!(await savedViews.deleteSavedView(db, team.id, id)))
    throw new AppError('NOT_FOUND', 'No such saved view in this team.', { field: 'id' })
  return { deleted: true }
}
