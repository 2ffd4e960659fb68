/** Mounting and lookup helpers for the form component tests: real i18n, lookups by label text. */
import { mount, type VueWrapper } from '@vue/test-utils'
import type { Component } from 'vue'
import { createAppI18n } from '../../../../renderer/src/i18n'
import type { Locale } from '../../../../renderer/src/i18n/locale'
import { de } from '../../../../renderer/src/i18n/messages/de'

export function mountWithI18n<C extends Component>(component: C, props: Record<string, unknown>, locale: Locale = 'en'): VueWrapper {
  return mount(component as Component, { props, global: { plugins: [createAppI18n(locale, { de })] }, attachTo: document.body })
}

/** The control a <label> with this text points to (exact text, ignoring the "(optional)" mark). */
export function control(wrapper: VueWrapper, labelText: string) {
  const label = wrapper.findAll('label').find(
    (l) =>
      l
        .text()
        .replace(/\s*\((optional|required)\)\s*$/, '')
        .trim() === labelText,
  )
  if (label === undefined) throw new Error(`no label "${labelText}"`)
  const id = label.attributes('for')
  if (id === undefined) throw new Error(`label "${labelText}" has no for=`)
  return wrapper.find(`[id="${id}"]`)
}

/** The error text tied to a control via aria-describedby, or undefined. */
export function errorOf(wrapper: VueWrapper, labelText: string): string | undefined {
  const input = control(wrapper, labelText)
  const ids = (input.attributes('aria-describedby') ?? '').split(' ').filter(Boolean)
  for (const id of ids) {
    const node = wrapper.find(`[id="${id}"]`)
    if (node.exists() && node.classes('field-error')) return node.text()
  }
  return undefined
}

export async function type(wrapper: VueWrapper, labelText: string, value: string): Promise<void> {
  await control(wrapper, labelText).setValue(value)
}

export async function choose(wrapper: VueWrapper, labelText: string, value: string): Promise<void> {
  await control(wrapper, labelText).setValue(value)
}

export async function flush(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 0))
}
