import { describe, expect, it } from 'vitest'
import { AppError } from './errors'
import { ROLES, assertRoleAtLeast, roleAtLeast, roleSchema, type Role } from './roles'

describe('roles', () => {
  it('owner ⊃ admin ⊃ member ⊃ viewer', () => {
    expect(ROLES).toEqual(['owner', 'admin', 'member', 'viewer'])
    const order: Role[] = ['viewer', 'member', 'admin', 'owner']
    for (const [i, role] of order.entries()) {
      for (const [j, min] of order.entries()) expect(roleAtLeast(role, min)).toBe(i >= j)
    }
  })

  it('unknown roles have no rights', () => {
    expect(roleAtLeast('superuser' as Role, 'viewer')).toBe(false)
    expect(roleAtLeast('constructor' as Role, 'viewer')).toBe(false)
    expect(roleAtLeast('owner', 'god' as Role)).toBe(false)
  })

  it('assertRoleAtLeast throws FORBIDDEN saying which role is needed', () => {
    expect(() => assertRoleAtLeast('admin', 'member')).not.toThrow()
    try {
      assertRoleAtLeast('viewer', 'admin')
      throw new Error('expected FORBIDDEN')
    } catch (error) {
      expect((error as AppError).code).toBe('FORBIDDEN')
      expect((error as AppError).message).toMatch(/admin role/)
    }
  })

  it('the zod enum parses roles', () => {
    expect(roleSchema.parse('viewer')).toBe('viewer')
    expect(roleSchema.safeParse('root').success).toBe(false)
  })
})
