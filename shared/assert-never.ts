/** Ends every exhaustive switch: a new union member breaks the build, not a customer's queue. */
export function assertNever(value: never, what = 'value'): never {
  throw new Error(`unexpected ${what}: ${JSON.stringify(value)}`)
}
