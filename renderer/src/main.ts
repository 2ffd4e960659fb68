/**
 * Renderer entry: picks the transport first (the web host's run token arrives in the URL
 * fragment and must be taken before the in-app router uses the fragment), then Pinia,
 * vue-i18n and the root component, which starts the sync engine.
 */
import { createPinia } from 'pinia'
import { createApp } from 'vue'
import App from './App.vue'
import { ensureLocaleLoaded, i18n } from './i18n'
import { getTransport } from './transport'
import './styles/theme.css'
import './styles/base.css'
import './styles/forms.css'

getTransport()
// A German start loads its messages first, so the first paint is already in German.
await ensureLocaleLoaded(i18n.global.locale.value)
createApp(App).use(createPinia()).use(i18n).mount('#app')
