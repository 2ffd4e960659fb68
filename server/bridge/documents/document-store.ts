/**
 * Proof documents devices upload for data changes: kept in the event store's database (so
 * any instance serves them), found by the SHA-256 of their link's capability (a database
 * copy does not reveal working links), and gone once expired.
 */
export interface StoredDocument {
  readonly contentType: string
  readonly body: Buffer
  readonly expiresAt: number
}

export interface NewDocument extends StoredDocument {
  readonly capabilityHash: string
  readonly createdAt: number
}

export interface DocumentStore {
  put(document: NewDocument): Promise<void>
  /** The document if it exists and has not expired at `now` (an expired one is deleted). */
  get(capabilityHash: string, now: number): Promise<StoredDocument | undefined>
  /** Deletes every document expired at `now`; returns how many. */
  deleteExpired(now: number): Promise<number>
  close(): Promise<void>
}
