// Flat ESLint config: TypeScript + Vue rules, and the process zones that keep imports
// from crossing process boundaries (each message says where the code belongs instead).
import js from '@eslint/js'
import pluginVue from 'eslint-plugin-vue'
import globals from 'globals'
import tseslint from 'typescript-eslint'

// Anchored regex: a gitignore-style 'electron/*' would also match relative paths into electron/services.
const electronImport = {
  regex: '^electron(/.*)?$',
  message: 'Only electron/main and electron/preload may import electron; put plain logic in electron/services.',
}

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
  // Zone: shared/ runs in every process, so it imports no process-specific runtime.
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            electronImport,
            { group: ['node:*', 'fs', 'path', 'crypto', 'http', 'https', 'os', 'child_process'], message: 'shared/ runs in the renderer too: Node code belongs in electron/services or server/.' },
            { group: ['vue', 'pinia', 'vue-i18n', 'dexie'], message: 'shared/ is UI- and storage-free: this belongs in renderer/src.', allowTypeImports: true },
            { group: ['axios'], message: 'shared/ does no network: HTTP belongs in electron/services.' },
            { group: ['**/renderer/**', '**/electron/**', '**/server/**'], message: 'shared/ depends on nothing but itself and zod.' },
          ],
        },
      ],
    },
  },
  // Zone: services are plain Node, testable without Electron.
  {
    files: ['electron/services/**/*.ts', 'server/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [electronImport, { group: ['**/renderer/**'], message: 'The renderer is another process: talk to it through the IPC contract in shared/ipc.' }] }],
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
