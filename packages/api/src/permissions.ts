import {
  API_KEY_SCOPES,
  ROLES,
  TIER_LABEL,
  roleAtLeast,
  FEATURE_MIN_TIER,
  type Access,
  type ApiKeyScope,
  type Role,
} from '@costwise/core'
import { HTTP_ROUTES } from './http'
import { appRouter } from './root'
import type { Meta } from './trpc'

export interface PermissionEntry {
  /** The tRPC path (`budgets.save`), or the route's name outside tRPC. */
  name: string
  kind: 'query' | 'mutation' | 'route'
  /** `PUT /api/usage/budget` when the action has a REST address. */
  rest: string | null
  access: Access | null
  /** Whether the procedure declares its response (`.output(schema)`); routes outside tRPC: null. */
  output: boolean | null
}

interface ProcedureLike {
  _def: { type: 'query' | 'mutation' | 'subscription'; meta?: Meta; output?: unknown }
}

/** Every procedure of the router and every route outside it, with its access declaration (null: none — a bug). */
export function permissionMatrix(): PermissionEntry[] {
  // `_def.procedures` is flat at run time (`budgets.save` → procedure), whatever its declared type.
  const procedures = appRouter._def.procedures as unknown as Record<string, ProcedureLike>
  const entries: PermissionEntry[] = Object.entries(procedures).map(([name, p]) => {
    const openapi = p._def.meta?.openapi
    return {
      name,
      kind: p._def.type === 'mutation' ? 'mutation' : 'query',
      rest: openapi ? `${openapi.method} /api${openapi.path}` : null,
      access: p._def.meta?.access ?? null,
      output: p._def.output !== undefined,
    }
  })
  for (const [name, route] of Object.entries(HTTP_ROUTES)) {
    entries.push({ name, kind: 'route', rest: `${route.method} ${route.path}`, access: route.access, output: null })
  }
  return entries.sort((a, b) => a.name.localeCompare(b.name))
}

/** Whether a signed-in person with `role` may do what `access` declares (plan aside). */
export function roleMay(access: Access, role: Role): boolean {
  return access.kind === 'user' || roleAtLeast(role, access.role)
}

/** Whether a key holding only `scope` may do it (plan aside). */
export function scopeMay(access: Access, scope: ApiKeyScope): boolean {
  return access.kind === 'team' && access.scope === scope
}

const yes = '✓'
const no = '–'

/** The README's permission tables, generated from the declarations (the README test checks they match). */
export function renderPermissionMatrix(): string {
  const entries = permissionMatrix()
  const lines: string[] = []
  lines.push(`| action | REST / route | ${ROLES.slice().reverse().join(' | ')} | API-key scope | plan |`)
  lines.push(`| --- | --- | ${ROLES.map(() => ':---:').join(' | ')} | --- | --- |`)
  for (const e of entries) {
    const access = e.access
    const roles = ROLES.slice()
      .reverse()
      .map((r) => (access && roleMay(access, r) ? yes : no))
    const scope = !access || access.kind === 'user' || access.scope === null ? 'keys never' : `\`${access.scope}\``
    const plan = access?.kind === 'team' && access.feature ? TIER_LABEL[FEATURE_MIN_TIER[access.feature]] : 'any'
    lines.push(
      `| \`${e.name}\` | ${e.rest ? `\`${e.rest}\`` : '(tRPC only)'} | ${roles.join(' | ')} | ${scope} | ${plan} |`,
    )
  }
  lines.push('')
  lines.push('| API-key scope | what a key with it may call |')
  lines.push('| --- | --- |')
  for (const scope of API_KEY_SCOPES) {
    const allowed = entries.filter((e) => e.access && scopeMay(e.access, scope)).map((e) => `\`${e.rest ?? e.name}\``)
    lines.push(`| \`${scope}\` | ${allowed.join(', ') || '(none yet)'} |`)
  }
  const never = entries
    .filter((e) => !e.access || e.access.kind === 'user' || e.access.scope === null)
    .map((e) => `\`${e.rest ?? e.name}\``)
  lines.push(`| (none: keys never) | ${never.join(', ')} |`)
  return lines.join('\n')
}
