import { z } from 'zod'
import { AppError } from './errors'

/** Team roles, most powerful first. */
export const roleSchema = z.enum(['owner', 'admin', 'member', 'viewer'])
export type Role = z.infer<typeof roleSchema>
export const ROLES = roleSchema.options

const RANK: Readonly<Record<Role, number>> = { viewer: 0, member: 1, admin: 2, owner: 3 }

/** Whether `role` has at least the rights of `min` (owner ⊃ admin ⊃ member ⊃ viewer). Unknown roles have none. */
export function roleAtLeast(role: Role, min: Role): boolean {
  return Object.hasOwn(RANK, role) && Object.hasOwn(RANK, min) && RANK[role] >= RANK[min]
}

/** Throws FORBIDDEN when `role` is below `min`, saying which role is needed. */
export function assertRoleAtLeast(role: Role, min: Role): void {
  if (!roleAtLeast(role, min)) {
    throw new AppError(
      'FORBIDDEN',
      `This needs the ${min} role or higher in the team; you are ${role}. Ask a team owner or admin.`,
      {
        details: { role, requiredRole: min },
      },
    )
  }
}
