// One lint configuration for the whole workspace, run once from the root with typescript-eslint's project service
// (each file is checked against the tsconfig.json nearest to it). See docs/decisions/010-lint-and-format.md.
import js from '@eslint/js'
import comments from '@eslint-community/eslint-plugin-eslint-comments'
import prettier from 'eslint-config-prettier'
import importX from 'eslint-plugin-import-x'
import jsxA11y from 'eslint-plugin-jsx-a11y'
import reactHooks from 'eslint-plugin-react-hooks'
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript'
import globals from 'globals'
import tseslint from 'typescript-eslint'

/** Environment variables are read in one zod-validated module per app; everything else gets its settings passed in. */
const envModules = [
  'apps/web/app/env.server.ts',
  'apps/worker/src/env.ts',
  'apps/cli/src/env.ts',
  'packages/local-llm/src/env.ts',
  'packages/db/src/testing/env.ts',
  'e2e/env.ts',
  'bench/lib/env.ts',
]

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/build/**',
      '**/coverage/**',
      '**/.turbo/**',
      '**/.cache/**',
      'apps/web/public/**',
      'e2e/.results/**',
      'e2e/test-results/**',
      'playwright-report/**',
    ],
  },
  js.configs.recommended,
  tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['*.js', '*.ts', 'apps/web/*.js'] },
        tsconfigRootDir: import.meta.dirname,
      },
      globals: { ...globals.node },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    plugins: { 'import-x': importX, '@eslint-community/eslint-comments': comments },
    settings: {
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: ['tsconfig.json', '*/*/tsconfig.json', '*/tsconfig.json'] })],
    },
    rules: {
      // Every eslint-disable says why on the same line (`-- reason`), and names the rule it turns off.
      '@eslint-community/eslint-comments/require-description': 'error',
      '@eslint-community/eslint-comments/no-unlimited-disable': 'error',
      // A cycle between modules (or workspace packages) makes load order matter; keep the graph a tree.
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: `Read environment variables only in an env module (${envModules.join(', ')}) and pass settings in.` },
      ],
      // Numbers and bigints in template literals are how we build messages; objects and nullish values are still caught.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // `void promise` marks a deliberate fire-and-forget; a bare floating promise is still an error.
      '@typescript-eslint/no-floating-promises': ['error', { ignoreVoid: true }],
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true, ignoreVoidReturningFunctions: true }],
      // With noUncheckedIndexedAccess every index read is `T | undefined`; `!` after a bounds check or a regex match
      // is the readable idiom, and it stands out in review.
      '@typescript-eslint/no-non-null-assertion': 'off',
      // Remix loaders and actions throw responses (redirect, 404) by design.
      '@typescript-eslint/only-throw-error': [
        'error',
        {
          allow: [
            { from: 'lib', name: 'Response' },
            { from: 'package', package: '@remix-run/server-runtime', name: 'TypedResponse' },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.property.name='any'][callee.object.name='z']", message: 'Declare the shape: no z.any().' },
      ],
    },
  },
  {
    files: envModules,
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    files: ['apps/web/app/**/*.tsx'],
    plugins: { 'react-hooks': reactHooks, 'jsx-a11y': jsxA11y },
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      ...reactHooks.configs.recommended.rules,
      ...jsxA11y.flatConfigs.recommended.rules,
    },
  },
  {
    // Tests, benchmarks and end-to-end configuration start child processes with the environment they are given.
    files: ['**/*.test.ts', '**/*.test.tsx', 'bench/**/*.ts', 'e2e/**/*.ts', 'vitest.config.ts'],
    rules: {
      'no-restricted-properties': 'off',
      // Tests read JSON bodies from real HTTP responses (typed `any`); their assertions are the check.
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    // Migrations are frozen in time and typed `Kysely<any>` on purpose (they must not follow today's schema types).
    files: ['db/migrations/2*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
  prettier,
)
