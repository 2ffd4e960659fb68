/**
 * Imported first by the renderer entry: the web host's run token leaves the address bar and
 * the history (into sessionStorage) before any other module of the app is even evaluated.
 */
import { getTransport } from './index'

getTransport()
