/**
 * Where the person was in the users list (scroll offset, the row with the keyboard focus),
 * kept across screens so coming back from a user lands on the same row, not at the top.
 * Module state on purpose: it belongs to this one screen, not to a store.
 */
import { reactive } from 'vue'

export const listPlace = reactive({
  scrollTop: 0,
  /** Index of the row that holds the list's one tab stop. */
  activeIndex: 0,
  /** The user opened from the list: focus returns to that row. */
  openedKey: null as string | null,
})
