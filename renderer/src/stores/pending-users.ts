/**
 * The "has pending changes" list: users with outbox entries. The outbox is small (what
 * one device queued), so this composes the read API per user instead of scanning users.
 */
import { badgeOf } from '../db/outbox-rules'
import { getUser, listOutboxByUser, type UserListPage, type UserListQuery } from '../db/queries'
import type { UserRow } from '../db/rows'
import { searchWords } from '../db/database'

function matches(row: UserRow, query: UserListQuery, words: readonly string[]): boolean {
  if (query.status !== undefined && row.status !== query.status) return false
  return words.every((w) => row.words.some((rw) => rw.startsWith(w)))
}

export async function listPendingUsers(query: UserListQuery): Promise<UserListPage> {
  const groups = await listOutboxByUser()
  const words = query.search === undefined ? [] : searchWords([query.search])
  const items = []
  for (const group of groups) {
    const detail = await getUser(group.userKey)
    if (detail === undefined || !matches(detail.row, query, words)) continue
    items.push({ row: detail.row, badge: badgeOf(group.entries) })
  }
  const sort = query.sort ?? 'name'
  const sign = query.order === 'desc' ? -1 : 1
  items.sort((a, b) => (a.row[sort] < b.row[sort] ? -sign : a.row[sort] > b.row[sort] ? sign : 0))
  const offset = query.offset ?? 0
  return { total: items.length, items: items.slice(offset, offset + (query.limit ?? items.length)) }
}
