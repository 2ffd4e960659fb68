// Flat ESLint config: TypeScript + Vue rules, and the process zones that keep imports
// from crossing process boundaries (each message says where the code belongs instead).
import js from '@eslint/js'
import { builtinModules } from 'node:module'
import pluginVue from 'eslint-plugin-vue'
import globals from 'globals'
import tseslint from 'typescript-eslint'

// Anchored regex: a gitignore-style 'electron/*' would also match relative paths into electron/services.
const electronImport = {
  regex: '^electron(/.*)?$',
  message: 'Only electron/main and electron/preload may import electron; put plain logic in electron/services.',
}

const nodeInShared = 'shared/ runs in the renderer too: Node code belongs in shared/node (main and servers), electron/services or server/.'
// shared/node as seen from the rest of shared/ ('../node/api', './node') and from elsewhere ('../../shared/node/api').
const nodeFolderPath = '(^|/)node(/|$)'
const sharedNodePath = '(^|/)shared/node(/|$)'

export default tseslint.config(
  {
    ignores: ['node_modules/**', 'out/**', 'dist/**', 'release/**', 'test-results/**', 'playwright-report/**', 'artifacts/**', 'coverage/**', 'bench/results.json'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...pluginVue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.vue'] } },
  },
  // Typed linting (TS and Vue files, through the tsconfig projects): a switch over a union names every member.
  {
    files: ['**/*.ts', '**/*.vue'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: { '@typescript-eslint/switch-exhaustiveness-check': 'error' },
  },
  {
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      'no-console': 'off',
      eqeqeq: ['error', 'always'],
      // Formatting is Prettier's job.
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off',
      'vue/html-indent': 'off',
      'vue/html-closing-bracket-newline': 'off',
      'vue/multiline-html-element-content-newline': 'off',
    },
  },
  {
    files: ['renderer/**/*.{ts,vue}', 'tests/unit/renderer/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
  },
  // Zone: shared/ (outside shared/node) runs in every process, the renderer included, so it imports no process-specific runtime.
  {
    files: ['shared/**/*.ts'],
    ignores: ['shared/node/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          // Exact names: a pattern like 'events' would also match shared/schemas/events.
          paths: builtinModules.map((name) => ({ name, message: nodeInShared })),
          patterns: [
            electronImport,
            { group: ['node:*'], message: nodeInShared },
            { regex: nodeFolderPath, message: 'shared/node is Node-only: code the renderer also runs cannot import it.' },
            { group: ['vue', 'pinia', 'vue-i18n', 'dexie'], message: 'shared/ is UI- and storage-free: this belongs in renderer/src.', allowTypeImports: true },
            { group: ['axios'], message: 'shared/ does no network: HTTP belongs in shared/node (used by main and the servers) or electron/services.' },
            { group: ['**/renderer/**', '**/electron/**', '**/server/**'], message: 'shared/ depends on nothing but itself and zod.' },
          ],
        },
      ],
    },
  },
  // Zone: shared/node is Node code that main and the servers both run (signatures, the API client): no app, no UI.
  {
    files: ['shared/node/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { ...electronImport, message: 'shared/node runs in the servers too: Electron-only code belongs in electron/main.' },
            { group: ['**/electron/**'], message: 'shared/node runs in the servers too: code it needs from the app moves into shared/ or shared/node.' },
            { group: ['**/server/**'], message: 'shared/node runs in the app too: code it needs from a server moves into shared/node.' },
            { group: ['**/renderer/**', 'vue', 'pinia', 'vue-i18n', 'dexie'], message: 'shared/node has no UI: this belongs in renderer/src.' },
          ],
        },
      ],
    },
  },
  // Zone: services are plain Node, testable without Electron.
  {
    files: ['electron/services/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [electronImport, { group: ['**/renderer/**'], message: 'The renderer is another process: talk to it through the IPC contract in shared/ipc.' }] }],
    },
  },
  // Zone: the web host is a Node web server serving the built renderer with main's handlers (electron/services), without Electron.
  {
    files: ['electron/webhost/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { ...electronImport, message: 'The web host runs without Electron: share handlers through electron/services.' },
            { group: ['**/main/**', '**/preload/**'], message: 'electron/main and electron/preload need Electron: share the code through electron/services.' },
            { group: ['**/renderer/**'], message: 'The web host serves the built renderer as files and talks to it over HTTP: shared types live in shared/ipc.' },
          ],
        },
      ],
    },
  },
  // Zone: the servers (simulator, bridge) run without the app.
  {
    files: ['server/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { ...electronImport, message: 'The servers run without Electron.' },
            { group: ['**/electron/**'], message: 'The servers do not depend on the app: Node code both use belongs in shared/node.' },
            { group: ['**/renderer/**'], message: 'The servers do not depend on the UI: shared schemas live in shared/.' },
          ],
        },
      ],
    },
  },
  // Zone: the renderer reaches main only through the IPC contract and its transport module.
  {
    files: ['renderer/**/*.{ts,vue}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['electron', 'electron/*'], message: 'The renderer never imports electron: use renderer/src/transport.' },
            { group: ['**/electron/**', '**/server/**'], message: 'The renderer reaches main only through renderer/src/transport and shared/ipc.' },
            { regex: sharedNodePath, message: 'shared/node is Node-only (signing, the API client): the renderer reaches it through main via renderer/src/transport.' },
            { group: ['node:*'], message: 'The renderer runs in a browser sandbox: Node code belongs in electron/services.' },
            { group: ['axios'], message: 'The main process owns the network: call it through renderer/src/transport.' },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: "MemberExpression[object.name='window'][property.name='outpost']", message: 'Only renderer/src/transport touches window.outpost.' },
      ],
    },
  },
  {
    files: ['renderer/src/transport/**/*.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  // Raw ipcMain use goes through the one handler wrapper.
  {
    files: ['electron/main/**/*.ts'],
    ignores: ['electron/main/ipc/register-handler.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: "MemberExpression[object.name='ipcMain'][property.name=/^(handle|on|once|handleOnce)$/]", message: 'Register IPC through electron/main/ipc/register-handler.ts.' },
      ],
    },
  },
)
