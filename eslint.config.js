import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'web/dist/**',
      'data/**',
      '.stryker-tmp/**',
      'reports/**',
      'web/api/*.gen.ts',
    ],
  },
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
    // Layers: data flows import → store → analyse → serve. Only the server and the command line sit above the
    // domain modules; nothing else imports them.
    files: ['src/**/*.ts'],
    ignores: ['src/server/**', 'src/cli/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['../*/*', '!../*/index.js'],
              message: 'Import another module through its index.js, not its internals.',
            },
            {
              group: ['../server/*', '../cli/*'],
              message:
                'Domain modules do not import the server or the CLI (data flows import → store → analyse → serve).',
            },
          ],
        },
      ],
    },
  },
  {
    // Routes are thin: schema → command or query → presenter. Transactions and audit records live in commands.
    files: ['src/server/route-*.ts'],
    ignores: ['src/server/*.test.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.property.name='transaction']",
          message: 'Write through a command (src/<capability>/commands.ts): no transaction in a route file.',
        },
        {
          selector: "CallExpression[callee.name='recordAudit']",
          message: 'Audit records are written by commands, not routes.',
        },
        {
          selector: "MemberExpression[object.property.name='audit'][property.name='record']",
          message: 'Audit records are written by commands, not routes.',
        },
      ],
    },
  },
  {
    // The dashboard talks to the server over HTTP only; its API types are generated into web/api.
    files: ['web/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/src/*', '**/src/*/*', '!./**', '!../**/web/**'],
              message: 'web/ imports no server code: use the generated types of web/api.',
            },
          ],
        },
      ],
    },
  },
  {
    // Scripts run the built project (dist/) as a user would.
    files: ['scripts/**/*.mjs'],
    rules: { 'no-restricted-imports': 'off' },
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
