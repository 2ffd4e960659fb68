/**
 * Starts three local stacks (simulator + bridge + web host serving out/renderer) on
 * ephemeral ports: a small one for the functional specs, one for the spec that cuts the API
 * off, and one with 100,000 users for the list spec (they run in parallel on two workers). `npm test` builds the renderer before Playwright runs. Returns the teardown.
 */
import type { FullConfig } from '@playwright/test'
import { chromiumChoice, describeChromium } from '../../support/chromium'
import { startOutpostStack, type OutpostStack } from '../../support/outpost-stack'
import { LARGE_SEED, SMALL_SEED, STACKS_ENV, type Stacks } from './stacks'

/** Quick connectivity probes, so going offline and back shows within a second or two. */
const CONNECTIVITY = { onlineIntervalMs: 1_000, offlineIntervalMs: 500, debounceMs: 50 }

function info(stack: OutpostStack) {
  if (stack.webHost === undefined) throw new Error('web host not started')
  return { appUrl: stack.webHost.url, apiUrl: stack.sandbox.url, bridgeUrl: stack.bridge.url }
}

/** Which browser the web specs use, said once per run (the config is loaded by every worker). */
function announceChromium(): void {
  try {
    console.log(describeChromium(chromiumChoice()))
  } catch (error) {
    console.error(`the web specs cannot start a browser: ${error instanceof Error ? error.message : String(error)}`)
  }
}

export default async function globalSetup(_config: FullConfig): Promise<() => Promise<void>> {
  announceChromium()
  const started: OutpostStack[] = []
  const teardown = async () => {
    for (const stack of started.reverse()) await stack.close()
  }
  try {
    const small = await startOutpostStack({
      sandbox: { seed: SMALL_SEED, offboardDelayMs: 1_500, dataChangeDelayMs: 500 },
      webHost: { rendererDir: 'out/renderer', connectivity: CONNECTIVITY },
    })
    started.push(small)
    const offline = await startOutpostStack({
      sandbox: { seed: SMALL_SEED },
      webHost: { rendererDir: 'out/renderer', connectivity: CONNECTIVITY },
    })
    started.push(offline)
    const large = await startOutpostStack({
      sandbox: { seed: LARGE_SEED },
      webHost: { rendererDir: 'out/renderer', connectivity: CONNECTIVITY },
    })
    started.push(large)
    const stacks: Stacks = { small: info(small), offline: info(offline), large: info(large) }
    process.env[STACKS_ENV] = JSON.stringify(stacks)
  } catch (error) {
    await teardown()
    throw error
  }
  return teardown
}
