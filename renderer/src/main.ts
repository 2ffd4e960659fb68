/**
 * Renderer entry: picks the transport first, in its own first import (the web host's run
 * token arrives in the URL fragment and must leave it before anything else runs), then the
 * database of the API target in Settings, then Pinia, vue-i18n and the root component, which
 * starts the sync engine.
 */
// First: takes the web host's run token out of the URL before anything else runs.
import './transport/take-token-first'
import { createPinia } from 'pinia'
import { createApp } from 'vue'
import App from './App.vue'
import { openAppDatabase } from './db/app-database'
import { ensureLocaleLoaded, i18n } from './i18n'
import { hashToView } from './stores/navigation'
import { getTransport } from './transport'
import './styles/theme.css'
import './styles/base.css'
import './styles/forms.css'

// Marks along the start, read by bench/ui.bench.ts to say where the time to first rows goes.
performance.mark('outpost:entry')
const transport = getTransport()
// Most starts open on the users list: its screen's code loads while the database is chosen,
// not after the shell is mounted (App.vue imports the same module, then at once).
if (hashToView(location.hash).name === 'users') void import('./components/users/UsersView.vue')
// A German start loads its messages first, so the first paint is already in German.
await Promise.all([ensureLocaleLoaded(i18n.global.locale.value), openAppDatabase(transport)])
performance.mark('outpost:database-chosen')
createApp(App).use(createPinia()).use(i18n).mount('#app')
performance.mark('outpost:mounted')
