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
  /** A transient failure: queued again after a backoff (an awaiting change keeps waiting). */
  retryLater: { from: ['sending', 'awaiting'], to: 'queued' },
  /** A read-back that does not show the change yet: wait another round. */
  keepAwaiting: { from: ['awaiting', 'sending'], to: 'awaiting' },
  /** A permanent failure of a send: the lane stops until the person decides. */
  park: { from: ['sending'], to: 'parked' },
  /** A permanent failure of an awaiting change's read-back. */
  parkAwaiting: { from: ['awaiting'], to: 'parked' },
  /** USER.DATA_CHANGE_FAILED for the change in flight or awaiting. */
  failedByEvent: { from: ['sending', 'awaiting'], to: 'parked' },
  /** USER.DATA_CHANGED showing the change in flight or awaiting. */
  appliedByEvent: { from: ['sending', 'awaiting'], to: null },
  /** The person asks to send a parked entry again as it is. */
  retryByPerson: { from: ['parked'], to: 'queued' },
  /** The person fixed a parked entry. */
  editByPerson: { from: ['parked'], to: 'queued' },
  /** The person dropped a parked entry. */
  discardByPerson: { from: ['parked'], to: null },
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
  editByPerson: 'only a failed entry can be edited',
  discardByPerson: 'only a failed entry can be discarded',
} as const satisfies Partial<Record<TransitionName, string>>
