/**
 * Renderer entry: Pinia, vue-i18n and the root component. The sync engine and live
 * feed are started by the App shell once the stores exist.
 */
import { createPinia } from 'pinia'
import { createApp } from 'vue'
import App from './App.vue'
import { createAppI18n } from './i18n'
import './styles/theme.css'
import './styles/base.css'

createApp(App).use(createPinia()).use(createAppI18n()).mount('#app')
