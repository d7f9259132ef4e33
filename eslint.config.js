import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'web/dist/**', 'data/**', '.stryker-tmp/**', 'reports/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly', Buffer: 'readonly' },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Modules talk through their index.ts only (STYLE habit 1).
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['../*/*', '!../*/index.js'],
              message: 'Import another module through its index.js, not its internals.',
            },
          ],
        },
      ],
    },
  },
  {
    // Benchmarks sit outside src/ and use the modules through their index.js only, like any other module.
    files: ['bench/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['../src/*/*', '!../src/*/index.js', '../../src/*/*', '!../../src/*/index.js'],
              message: 'Import a module through its index.js, not its internals.',
            },
          ],
        },
      ],
    },
  },
);
