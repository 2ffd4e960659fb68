/**
 * Starts the whole local stack for integration and end-to-end tests: the API simulator,
 * the webhook bridge (subscribed to the simulator), and optionally the web host wired to
 * both. Everything on ephemeral loopback ports and temp dirs; `close()` stops it all.
 * Documented in electron/webhost/README.md.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startBridge, type RunningBridge } from '../../server/bridge'
import { startSandbox, type Sandbox, type SandboxOptions } from '../../server/sandbox'
import type { AppConfig } from '../../electron/services/settings/dev-config'
import { startWebHost, type WebHost, type WebHostOptions } from '../../electron/webhost'

export interface OutpostStack {
  readonly sandbox: Sandbox
  readonly bridge: RunningBridge
  /** Settings + secrets for an app talking to this sandbox and bridge. */
  readonly config: AppConfig
  readonly webHost: WebHost | undefined
  close(): Promise<void>
}

export interface OutpostStackOptions {
  readonly sandbox?: SandboxOptions
  /** Start the web host too (with these extra options). */
  readonly webHost?: Omit<WebHostOptions, 'config'> | false
}

export function appConfigFor(sandbox: Sandbox, bridge: RunningBridge): AppConfig {
  const client = sandbox.devClient
  return {
    settings: {
      apiBaseUrl: sandbox.url,
      clientId: client.clientId,
      keyId: client.keyId,
      scopes: ['users:read', 'users:admin'],
      bridgeUrl: bridge.url,
      startMinimized: false,
      closeToTray: true,
    },
    secrets: { clientSecret: client.clientSecret, privateKeyPem: client.privateKeyPem, bridgeToken: bridge.clientToken },
  }
}

export async function startOutpostStack(options: OutpostStackOptions = {}): Promise<OutpostStack> {
  const bridgeDir = await mkdtemp(join(tmpdir(), 'outpost-bridge-'))
  // Webhooks after a few ms instead of the subscription's seconds, so tests see events quickly.
  const sandbox = await startSandbox({
    webhookDelayMs: 20,
    webhookRetryBaseMs: 50,
    dataChangeDelayMs: 50,
    offboardDelayMs: 100,
    ...options.sandbox,
  })
  let bridge: RunningBridge
  try {
    bridge = await startBridge({
      dataDir: bridgeDir,
      apiUrl: sandbox.url,
      apiCredentials: sandbox.devClient,
      bootstrap: true,
      logLevel: 'silent',
    })
  } catch (error) {
    await sandbox.close()
    throw error
  }
  const config = appConfigFor(sandbox, bridge)
  const webHost =
    options.webHost === undefined || options.webHost === false ? undefined : await startWebHost({ ...options.webHost, config })
  return {
    sandbox,
    bridge,
    config,
    webHost,
    async close() {
      await webHost?.close()
      await bridge.close()
      await sandbox.close()
      await rm(bridgeDir, { recursive: true, force: true })
    },
  }
}
