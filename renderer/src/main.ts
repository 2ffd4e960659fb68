/**
 * Renderer entry: Pinia, vue-i18n and the root component. The sync engine and live
 * feed are started by the App shell once the stores exist.
 */
import { createPinia } from 'pinia'
import { createApp } from 'vue'
import App from './App.vue'
import { i18n } from './i18n'
import './styles/theme.css'
import './styles/base.css'
import './styles/forms.css'

createApp(App).use(createPinia()).use(i18n).mount('#app')
