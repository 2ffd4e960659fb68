/**
 * Registered clients and opaque access tokens: client credentials -> token with scopes
 * and expiry; per-request lookup of the token, its client and scopes. Tokens live in
 * memory only, so a restarted simulator makes clients fetch new ones (as after expiry).
 */
import { randomBytes, type KeyObject } from 'node:crypto'
import type { Scope, TokenRequest, TokenResponse } from '../../shared/schemas'
import type { DevClient } from './dev-client'
import { ApiProblem } from './problem'

const TOKEN_BYTES = 32
const MS_PER_SECOND = 1000

interface IssuedToken {
  readonly clientId: string
  readonly scopes: ReadonlySet<Scope>
  readonly expiresAt: number
}

export interface Caller {
  readonly clientId: string
  readonly scopes: ReadonlySet<Scope>
}

export class AuthService {
  private readonly clients = new Map<string, DevClient>()
  private readonly tokens = new Map<string, IssuedToken>()

  constructor(
    clients: readonly DevClient[],
    private readonly ttlSeconds: number,
    private readonly now: () => number = Date.now,
  ) {
    for (const client of clients) this.clients.set(client.clientId, client)
  }

  client(clientId: string): DevClient | undefined {
    return this.clients.get(clientId)
  }

  /** The key a signature's keyid names, only among the keys of the calling client. */
  publicKeyFor(clientId: string, keyId: string): KeyObject | undefined {
    const client = this.clients.get(clientId)
    return client !== undefined && client.keyId === keyId ? client.publicKey : undefined
  }

  issue(request: TokenRequest, headerClientId: string): TokenResponse {
    const client = this.clients.get(request.client_id)
    // One message for unknown id and wrong secret: no client enumeration.
    if (client === undefined || client.clientSecret !== request.client_secret)
      throw new ApiProblem(401, 'client_id/client_secret: invalid client credentials')
    if (request.client_id !== headerClientId) throw new ApiProblem(401, 'upvest-client-id: does not match client_id')
    const requested = request.scope.split(' ') as Scope[]
    const refused = requested.filter((scope) => !client.scopes.includes(scope))
    if (refused.length > 0) throw new ApiProblem(403, `scope: client may not request ${refused.join(', ')}`)
    this.prune()
    const token = randomBytes(TOKEN_BYTES).toString('base64url')
    this.tokens.set(token, {
      clientId: client.clientId,
      scopes: new Set(requested),
      expiresAt: this.now() + this.ttlSeconds * MS_PER_SECOND,
    })
    return { access_token: token, expires_in: this.ttlSeconds, token_type: 'bearer', scope: requested.join(' ') }
  }

  /** Checks `authorization: Bearer <token>` for `clientId` and one of the `anyOf` scopes. */
  authorize(authorization: string | undefined, clientId: string, anyOf: readonly Scope[]): Caller {
    const match = /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/.exec(authorization ?? '')
    if (match?.[1] === undefined) throw new ApiProblem(401, 'authorization: a Bearer token is required')
    const issued = this.tokens.get(match[1])
    if (issued === undefined) throw new ApiProblem(401, 'authorization: unknown token')
    if (issued.expiresAt <= this.now()) {
      this.tokens.delete(match[1])
      throw new ApiProblem(401, 'authorization: token expired')
    }
    if (issued.clientId !== clientId) throw new ApiProblem(401, 'authorization: token belongs to another client')
    if (anyOf.length > 0 && !anyOf.some((scope) => issued.scopes.has(scope)))
      throw new ApiProblem(403, `authorization: token lacks scope ${anyOf.join(' or ')}`)
    return { clientId, scopes: issued.scopes }
  }

  /** Admin switch: every issued token stops working (tests of re-authentication). */
  revokeAll(): void {
    this.tokens.clear()
  }

  private prune(): void {
    const now = this.now()
    for (const [token, issued] of this.tokens) if (issued.expiresAt <= now) this.tokens.delete(token)
  }
}
