/** What a form's save did: stored and queued for later, stored and already sent, or refused. */
export type SaveOutcome = { readonly kind: 'queued' } | { readonly kind: 'sent' } | { readonly kind: 'error'; readonly message: string }

export type SaveFn<T> = (value: T) => Promise<SaveOutcome>
