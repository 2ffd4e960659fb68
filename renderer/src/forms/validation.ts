/**
 * Turns a zod parse of a form's candidate value into messages by field path, and decides
 * which of them to show: a field's message appears once the person touched that field,
 * or everywhere after they tried to submit. Server field errors (from a parked entry)
 * are shown until the field is edited.
 */
import { computed, reactive, ref, toValue, type MaybeRefOrGetter } from 'vue'
import type { z } from 'zod'
import type { FieldError } from '../../../shared/api-result'
import { safeParseUnknown, type FieldIssue } from '../../../shared/parse'

/** The first message per path; `prefix` is stripped (e.g. `body.` of a data change). */
export function messagesByPath(issues: readonly FieldIssue[], prefix = ''): Map<string, string> {
  const byPath = new Map<string, string>()
  const bare = prefix.replace(/\.$/, '')
  for (const issue of issues) {
    // An issue on the prefix itself (`body`) is about the whole form: the empty path.
    const path = prefix !== '' && issue.path === bare ? '' : issue.path.startsWith(prefix) ? issue.path.slice(prefix.length) : issue.path
    if (!byPath.has(path)) byPath.set(path, issue.message)
  }
  return byPath
}

/** The message for a field: its own path, or a path inside it (`nationalities.0`). */
export function messageFor(byPath: ReadonlyMap<string, string>, path: string): string | undefined {
  const own = byPath.get(path)
  if (own !== undefined) return own
  for (const [issuePath, message] of byPath) if (issuePath.startsWith(`${path}.`)) return message
  return undefined
}

export function useSchemaForm<S extends z.ZodType>(
  schema: MaybeRefOrGetter<S>,
  candidate: () => unknown,
  options: { prefix?: string; serverErrors?: MaybeRefOrGetter<readonly FieldError[] | undefined> } = {},
) {
  const touched = reactive(new Set<string>())
  const submitted = ref(false)
  const parsed = computed(() => safeParseUnknown(toValue(schema), candidate()))
  const errors = computed(() => (parsed.value.ok ? new Map<string, string>() : messagesByPath(parsed.value.issues, options.prefix)))
  const server = computed(() => {
    const list = toValue(options.serverErrors) ?? []
    return messagesByPath(list.map((e) => ({ path: e.field, message: e.message })))
  })

  function touch(path: string): void {
    touched.add(path)
  }

  function isShown(path: string): boolean {
    if (submitted.value) return true
    for (const t of touched) if (t === path || t.startsWith(`${path}.`) || path.startsWith(`${t}.`)) return true
    return false
  }

  /** What to show next to a field now, if anything. */
  function errorFor(path: string): string | undefined {
    const serverMessage = touched.has(path) ? undefined : messageFor(server.value, path)
    if (serverMessage !== undefined) return serverMessage
    return isShown(path) ? messageFor(errors.value, path) : undefined
  }

  /** Marks every field shown; returns the parsed value when valid. */
  function submit(): z.infer<S> | undefined {
    submitted.value = true
    return parsed.value.ok ? parsed.value.value : undefined
  }

  /** Back to untouched, for a form that starts afresh: a new empty form shows no errors yet. */
  function reset(): void {
    touched.clear()
    submitted.value = false
  }

  const shownCount = computed(() => (submitted.value ? errors.value.size : 0))

  return { touch, errorFor, submit, reset, errors, submitted, shownCount, valid: computed(() => parsed.value.ok) }
}

export type SchemaForm = ReturnType<typeof useSchemaForm>
