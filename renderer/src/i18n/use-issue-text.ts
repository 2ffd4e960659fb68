/** Localizes a validation message for the current UI language (components only). */
import { useI18n } from 'vue-i18n'
import { localizeIssue } from './issue-messages'

export function useIssueText(): (message: string | undefined) => string | undefined {
  const { locale } = useI18n()
  return (message) => (message === undefined ? undefined : localizeIssue(message, locale.value === 'de' ? 'de' : 'en'))
}
