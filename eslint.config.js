// Lint for the whole TypeScript tree. Type-aware rules are on because the bugs they catch are the ones an
// event-sourced system cannot afford: a floating promise is an ack nobody awaited.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'test-output/**', 'libs/agent/src/generated/**', 'sdk/python/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked.map((config) => ({ ...config, files: ['**/*.ts', '**/*.tsx'] })),
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: {
      parserOptions: {
        projectService: {
          // The dashboard's specs and its vite config are outside both tsconfigs (jest and vite compile them).
          allowDefaultProject: ['apps/dashboard/src/*.spec.ts', 'apps/dashboard/vite.config.ts'],
        },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // Ports are async by contract; their in-memory twins have nothing to await.
      '@typescript-eslint/require-await': 'off',
      // Callbacks are declared in method shorthand on plain interfaces (io.out, setStep) and passed as values.
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/restrict-template-expressions': [
        'error',
        { allowNumber: true, allowBoolean: true, allowNullish: true, allow: [{ from: 'lib', name: ['URLSearchParams', 'URL'] }] },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
      // A closure may read a binding assigned after it is created (a server's handler and the server itself).
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
    },
  },
  {
    // Test code reads untyped wire data (HTTP bodies, JSON lines from child processes) on purpose.
    files: ['**/*.spec.ts', 'test/**/*.ts', '**/testing/**/*.ts', '**/testdata/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/restrict-template-expressions': 'off',
      '@typescript-eslint/no-unsafe-enum-comparison': 'off',
      '@typescript-eslint/no-base-to-string': 'off',
      '@typescript-eslint/no-unnecessary-type-assertion': 'off',
    },
  },
  {
    // The dashboard reads event payloads as wire JSON: their types live in #contracts, which the browser bundle does
    // not import, so the loosely typed `data` of a feed event is a deliberate boundary.
    files: ['apps/dashboard/src/**/*.ts', 'apps/dashboard/src/**/*.tsx'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
    },
  },
  { files: ['**/*.js', '**/*.mjs', '**/*.cjs'], languageOptions: { globals: globals.node } },
);
