import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { generateDemoUsers } from '../../../../server/sandbox/demo-users'
import { UserStore } from '../../../../server/sandbox/user-store'
import { UserSchema, type User } from '../../../../shared/schemas'

const naive = (users: readonly User[], field: 'created_at' | 'updated_at') =>
  [...users].sort((a, b) => (a[field] < b[field] ? -1 : a[field] > b[field] ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0))

describe('UserStore', () => {
  it('pages exactly like sorting the whole list, after inserts and updates', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ created: fc.integer({ min: 0, max: 20 }), updated: fc.integer({ min: 0, max: 20 }) }), {
          minLength: 1,
          maxLength: 40,
        }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 40 })), { maxLength: 10 }),
        fc.nat({ max: 45 }),
        fc.integer({ min: 1, max: 50 }),
        (rows, updates, offset, limit) => {
          const store = new UserStore()
          const [template] = generateDemoUsers(1, 1)
          if (template === undefined) throw new Error('no template')
          const stamp = (n: number) => `2025-01-01T00:00:${String(n).padStart(2, '0')}.000000Z`
          const users = rows.map((row, i) => ({
            ...template,
            id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
            created_at: stamp(row.created),
            updated_at: stamp(row.updated),
          }))
          users.forEach((user, i) => (i % 2 === 0 ? store.insert(user) : store.bulkLoad([user])))
          for (const [pick, second] of updates) {
            const current = store.all()[pick % users.length]
            if (current !== undefined) store.replace({ ...current, updated_at: stamp(second) })
          }
          const everyone = [...store.all()]
          for (const field of ['created_at', 'updated_at'] as const) {
            const sorted = naive(everyone, field)
            expect(store.page(field, 'ASC', offset, limit).users).toEqual(sorted.slice(offset, offset + limit))
            expect(store.page(field, 'DESC', offset, limit).users).toEqual([...sorted].reverse().slice(offset, offset + limit))
          }
        },
      ),
    )
  })
})

describe('demo users', () => {
  it('are valid users, the same for the same seed and different for another', () => {
    const at = Date.UTC(2026, 0, 1)
    const users = generateDemoUsers(300, 5, at)
    for (const user of users) UserSchema.parse(user)
    expect(generateDemoUsers(300, 5, at)).toEqual(users)
    expect(generateDemoUsers(300, 6, at)[0]?.id).not.toBe(users[0]?.id)
    expect(new Set(users.map((u) => u.id)).size).toBe(300)
  })
})
