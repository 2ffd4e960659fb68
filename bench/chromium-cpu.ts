/**
 * CPU time of the Chromium processes of one profile, by process type (browser, renderer, gpu,
 * utility), read from /proc: shows which process a benchmark is bound by. Linux only; elsewhere
 * it reads nothing and reports null.
 */
import { readdirSync, readFileSync } from 'node:fs'

/** Linux's clock ticks per second for /proc/<pid>/stat (USER_HZ). */
const TICKS_PER_SECOND = 100

export type CpuByProcessType = ReadonlyMap<string, number>

/** CPU seconds so far per process type, of the processes started with `profileDir`. */
export function chromiumCpuSeconds(profileDir: string): CpuByProcessType | null {
  let pids: string[]
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name))
  } catch {
    return null
  }
  const seconds = new Map<string, number>()
  for (const pid of pids) {
    try {
      // Chromium's children rewrite their command line into one string: searched as a whole.
      const commandLine = readFileSync(`/proc/${pid}/cmdline`, 'utf8')
      if (!commandLine.includes(profileDir)) continue
      const type = /--type=([a-z-]+)/.exec(commandLine)?.[1] ?? 'browser'
      // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ').at(-1)!.split(' ')
      const ticks = Number(fields[11]) + Number(fields[12])
      seconds.set(type, (seconds.get(type) ?? 0) + ticks / TICKS_PER_SECOND)
    } catch {
      // The process ended while being read.
    }
  }
  return seconds
}

/** CPU seconds per process type spent between two readings. */
export function cpuSpent(before: CpuByProcessType | null, after: CpuByProcessType | null): Record<string, number> | null {
  if (before === null || after === null) return null
  return Object.fromEntries([...after].map(([type, total]) => [type, Math.round((total - (before.get(type) ?? 0)) * 10) / 10]))
}
