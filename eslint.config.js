// Lint rules; the workflows/ block enforces the determinism boundary by forbidding I/O modules.
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

const ioModules = [
  ...builtinModules,
  ...builtinModules.map((m) => `node:${m}`),
  'minio',
  '@aws-sdk/*',
  '@duckdb/*',
  'duckdb',
  '@tensorflow/*',
  'fastify',
  '@fastify/*',
  'pino',
  '@temporalio/client',
  '@temporalio/worker',
  '@temporalio/activity',
];

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'test/fixtures/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Read configuration through core/config.ts only.' },
      ],
    },
  },
  {
    files: ['core/config.ts', 'infra/local/bootstrap.mjs'],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ioModules,
              message: 'workflows/ must stay deterministic: do I/O in an activity.',
            },
            {
              group: ['../activities/*', '../worker/*', '../api/*', '../infra/*'],
              allowTypeImports: true,
              message: 'workflows/ may import activities as types only.',
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'setTimeout', message: 'Use sleep() from @temporalio/workflow.' },
        { name: 'fetch', message: 'Do I/O in an activity.' },
      ],
    },
  },
);
