/**
 * The life of an outbox entry as one state machine: every transition has a name, the states
 * it may start from and where it leads (`null`: the entry leaves the outbox; its history
 * stays). The outbox's write transactions (outbox-steps.ts for the engine and events,
 * outbox-repository.ts for the person) re-read the entry and apply a transition only from
 * its allowed states, so a late answer can never undo a newer decision.
 */
import { OUTBOX_STATES, type OutboxState } from './rows'

export interface Transition {
  readonly from: readonly OutboxState[]
  /** The state after it; null: finished or dropped (the entry is deleted). */
  readonly to: OutboxState | null
}

export const OUTBOX_TRANSITIONS = {
  /** Handed to the transport. A "sending" entry left by a crash is sent again (with its key); an awaiting data change is re-sent after a read-back that does not show it. */
  send: { from: ['queued', 'sending', 'awaiting'], to: 'sending' },
  /** The create answered with its user: whatever the entry's state says, the user exists. */
  created: { from: OUTBOX_STATES, to: null },
  /** A data change accepted (202, or already pending there): wait for its event or a read-back. */
  accept: { from: ['sending'], to: 'awaiting' },
  /** Finished by an answer or a read-back. */
  finish: { from: ['sending', 'awaiting'], to: null },
  /** A transient failure (of a send, or of the read before one): queued again after a backoff (an awaiting change keeps waiting). */
  retryLater: { from: ['queued', 'sending', 'awaiting'], to: 'queued' },
  /** A permanent failure of a send: the lane stops until the person decides. */
  park: { from: ['sending'], to: 'parked' },
  /** A permanent failure of an awaiting change's read-back. */
  parkAwaiting: { from: ['awaiting'], to: 'parked' },
  /** The read before a data change's send shows it done already (rule 9: never resent blind). */
  settledByReadBack: { from: ['queued', 'sending', 'awaiting'], to: null },
  /** The read before a send shows it impossible or in conflict, or its confirmation is overdue (rules 10, 11). */
  parkedByReadBack: { from: ['queued', 'sending', 'awaiting'], to: 'parked' },
  /** An event made the queued change impossible (USER.OFFBOARDING_INITIATED, OFFBOARDED, DEACTIVATED). */
  parkedByEvent: { from: ['queued', 'sending', 'awaiting'], to: 'parked' },
  /** USER.DATA_CHANGE_FAILED for the change in flight or awaiting. */
  failedByEvent: { from: ['sending', 'awaiting'], to: 'parked' },
  /** USER.DATA_CHANGED showing the change in flight or awaiting. */
  appliedByEvent: { from: ['sending', 'awaiting'], to: null },
  /** The person asks to send a parked entry again as it is. */
  retryByPerson: { from: ['parked'], to: 'queued' },
  /** The person sends a change over a conflict, as it is. */
  sendAnywayByPerson: { from: ['parked'], to: 'queued' },
  /** The person fixed a parked entry, or one not sent yet (never while it is on its way). */
  editByPerson: { from: ['queued', 'parked'], to: 'queued' },
  /** The person dropped a parked entry, or withdrew one not sent yet. */
  discardByPerson: { from: ['queued', 'parked'], to: null },
  /** The user never reached the server and is offboarded: its entries go with it. */
  cancelLocally: { from: OUTBOX_STATES, to: null },
} as const satisfies Record<string, Transition>

export type TransitionName = keyof typeof OUTBOX_TRANSITIONS

export function canApply(name: TransitionName, state: OutboxState): boolean {
  return (OUTBOX_TRANSITIONS[name].from as readonly OutboxState[]).includes(state)
}

/** What the person is told when a transition they asked for does not apply. */
export const PERSON_REFUSALS = {
  retryByPerson: 'only a failed entry can be retried',
  sendAnywayByPerson: 'only an entry held for a conflict can be sent anyway',
  editByPerson: 'this entry is on its way to the server and cannot be changed now; try again once it has an answer',
  discardByPerson: 'this entry is on its way to the server and cannot be withdrawn now; try again once it has an answer',
} as const satisfies Partial<Record<TransitionName, string>>
