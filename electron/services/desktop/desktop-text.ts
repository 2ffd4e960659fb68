/**
 * The few words main shows itself (tray menu and tooltip, OS notifications), in the
 * renderer's two languages. Plain data and pure functions; no names or other personal data
 * ever go into a notification, since it shows on a locked screen.
 */
import type { SyncStatusReport } from '../../../shared/ipc/contract'

export type DesktopLocale = 'en' | 'de'

interface DesktopText {
  readonly open: string
  readonly syncNow: string
  readonly quit: string
  readonly allSent: string
  readonly pending: (n: number) => string
  readonly failed: (n: number) => string
  readonly sending: string
  readonly failureTitle: string
  readonly failureBody: (n: number) => string
  readonly backgroundTitle: string
  readonly backgroundBody: string
  readonly quitWaitingTitle: string
  readonly quitWaitingBody: (n: number) => string
}

const TEXT: Readonly<Record<DesktopLocale, DesktopText>> = {
  en: {
    open: 'Open Outpost',
    syncNow: 'Sync now',
    quit: 'Quit Outpost',
    allSent: 'Everything is sent',
    pending: (n) => (n === 1 ? '1 action waiting to be sent' : `${n} actions waiting to be sent`),
    failed: (n) => (n === 1 ? '1 action needs your attention' : `${n} actions need your attention`),
    sending: 'Sending…',
    failureTitle: 'An action could not be sent',
    failureBody: (n) =>
      n === 1
        ? 'The service refused one queued action. Open Outpost to fix or discard it.'
        : `The service refused ${n} queued actions. Open Outpost to fix or discard them.`,
    backgroundTitle: 'Outpost keeps syncing',
    backgroundBody: 'The window is closed; queued actions are still sent. Quit from the Outpost icon in the tray or menu bar.',
    quitWaitingTitle: 'Not everything is sent yet',
    quitWaitingBody: (n) =>
      n === 1
        ? '1 action waits on this computer and is sent at the next start of Outpost.'
        : `${n} actions wait on this computer and are sent at the next start of Outpost.`,
  },
  de: {
    open: 'Outpost öffnen',
    syncNow: 'Jetzt synchronisieren',
    quit: 'Outpost beenden',
    allSent: 'Alles ist gesendet',
    pending: (n) => (n === 1 ? '1 Aktion wartet auf das Senden' : `${n} Aktionen warten auf das Senden`),
    failed: (n) => (n === 1 ? '1 Aktion braucht Ihre Aufmerksamkeit' : `${n} Aktionen brauchen Ihre Aufmerksamkeit`),
    sending: 'Wird gesendet…',
    failureTitle: 'Eine Aktion konnte nicht gesendet werden',
    failureBody: (n) =>
      n === 1
        ? 'Der Dienst hat eine Aktion abgelehnt. Öffnen Sie Outpost, um sie zu korrigieren oder zu verwerfen.'
        : `Der Dienst hat ${n} Aktionen abgelehnt. Öffnen Sie Outpost, um sie zu korrigieren oder zu verwerfen.`,
    backgroundTitle: 'Outpost synchronisiert weiter',
    backgroundBody:
      'Das Fenster ist geschlossen; wartende Aktionen werden weiter gesendet. Beenden Sie Outpost über sein Symbol in der Taskleiste oder Menüleiste.',
    quitWaitingTitle: 'Noch nicht alles ist gesendet',
    quitWaitingBody: (n) =>
      n === 1
        ? '1 Aktion wartet auf diesem Computer und wird beim nächsten Start von Outpost gesendet.'
        : `${n} Aktionen warten auf diesem Computer und werden beim nächsten Start von Outpost gesendet.`,
  },
}

/** `de-AT`, `de` -> de; anything else -> en. */
export function desktopLocale(appLocale: string): DesktopLocale {
  return appLocale.toLowerCase().startsWith('de') ? 'de' : 'en'
}

export function desktopText(locale: DesktopLocale): DesktopText {
  return TEXT[locale]
}

/** The queue in one line (the tray menu's first, inert item); null before the first report. */
export function queueLine(locale: DesktopLocale, status: SyncStatusReport | null): string | null {
  const text = TEXT[locale]
  if (status === null) return null
  const parts: string[] = []
  if (status.failed > 0) parts.push(text.failed(status.failed))
  if (status.pending > 0) parts.push(text.pending(status.pending))
  if (status.draining) parts.push(text.sending)
  return parts.length === 0 ? text.allSent : parts.join(' · ')
}

/** The tray tooltip: the queue in one line. */
export function trayTooltip(locale: DesktopLocale, status: SyncStatusReport | null): string {
  const line = queueLine(locale, status)
  return line === null ? 'Outpost' : `Outpost — ${line}`
}
