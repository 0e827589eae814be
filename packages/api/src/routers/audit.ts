import {
  AppError,
  addDays,
  auditActionSchema,
  auditActorKindSchema,
  dayStart,
  refineFromBeforeTo,
} from '@costwise/core'
import { audit } from '@costwise/db'
import { z } from 'zod'
import { commaList } from '../services/analytics'
import { createTRPCRouter, teamProcedure } from '../trpc'

const cursorSchema = z.object({ occurredAt: z.iso.datetime(), id: z.uuid() })

function decodeCursor(cursor: string): audit.AuditCursor {
  try {
    const c = cursorSchema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')))
    return { occurredAt: new Date(c.occurredAt), id: c.id }
  } catch {
    throw new AppError('BAD_INPUT', 'cursor: not a cursor from this listing; start from the first page.', {
      field: 'cursor',
    })
  }
}

const day = z.iso.date('must be a date written YYYY-MM-DD')

export const auditListInputSchema = z
  .object({
    action: commaList(auditActionSchema),
    actorKind: auditActorKindSchema.optional(),
    actorUserId: z.uuid('actorUserId must be a UUID').optional(),
    /** First local day (team's time zone), inclusive. */
    from: day.optional(),
    /** Last local day, inclusive. */
    to: day.optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z.string().max(300).nullish(),
  })
  .superRefine(refineFromBeforeTo)

const auditRowSchema = z.object({
  id: z.string(),
  occurredAt: z.string(),
  actorKind: auditActorKindSchema,
  actorUserId: z.string().nullable(),
  actorApiKeyId: z.string().nullable(),
  actorLabel: z.string().nullable(),
  action: auditActionSchema,
  targetType: z.string(),
  targetId: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
  ip: z.string().nullable(),
})

export const auditRouter = createTRPCRouter({
  /** The team's audit log, newest first, a page at a time. Owners and admins; never API keys. */
  list: teamProcedure({ role: 'admin', scope: null })
    .meta({
      openapi: {
        method: 'GET',
        path: '/audit',
        tags: ['audit'],
        summary: 'Administrative changes, newest first (owners and admins; cursor pages)',
      },
    })
    .input(auditListInputSchema)
    .output(z.object({ items: z.array(auditRowSchema), nextCursor: z.string().nullable() }))
    .query(async ({ ctx, input }) => {
      const zone = ctx.team.timeZone
      const from = input.from ? dayStart(input.from, zone) : undefined
      const to = input.to ? dayStart(addDays(input.to, 1), zone) : undefined
      const page = await audit.list(ctx.db, ctx.team.id, {
        filters: { actions: input.action, actorKind: input.actorKind, actorUserId: input.actorUserId, from, to },
        limit: input.limit,
        cursor: input.cursor ? decodeCursor(input.cursor) : null,
      })
      return {
        items: page.rows.map(({ teamId: _teamId, occurredAt, ...row }) => ({
          ...row,
          occurredAt: occurredAt.toISOString(),
        })),
        nextCursor: page.next
          ? Buffer.from(JSON.stringify({ occurredAt: page.next.occurredAt.toISOString(), id: page.next.id })).toString(
              'base64url',
            )
          : null,
      }
    }),
})
