// Real IndexedDB semantics in Node for Dexie: fake-indexeddb, not a mock.
import 'fake-indexeddb/auto'
