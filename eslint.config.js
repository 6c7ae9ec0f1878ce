// Lint rules; the workflows/ and core/contracts/ blocks draw the determinism boundary: workflows import
// only @temporalio/workflow and the contracts, and the contracts import nothing that does I/O.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'ui/dist/**', 'test/fixtures/**'] },
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
    // The CLI is its own program with its own (small) settings module: it never loads core/config.ts.
    files: ['core/config.ts', 'infra/local/bootstrap.mjs', 'cli/settings.ts'],
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
              // Anything but the workflow SDK, sibling workflow files, the contracts and the activity
              // interface (below): the determinism boundary, drawn by folder.
              regex: '^(?!@temporalio/workflow$|\\./|\\.\\./core/contracts/|\\.\\./activities/index\\.js$)',
              message:
                'workflows/ may import only @temporalio/workflow and core/contracts/: do I/O in an activity.',
            },
            {
              // proxyActivities<Activities>() is the Temporal idiom; the types it needs erase at build.
              group: ['../activities/index.js'],
              allowTypeImports: true,
              message: 'workflows/ may import the activities as a type only (proxyActivities<Activities>).',
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
  {
    // Workflows import the contracts, so the contracts are as pure as workflows; the spec's type and
    // the failure vocabulary (defined with the errors) are the only ways out of the folder.
    files: ['core/contracts/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex:
                '^(?!@temporalio/workflow$|@temporalio/common$|\\./|\\.\\./errors\\.js$|\\.\\./pipeline-spec/schema\\.js$)',
              message:
                'core/contracts/ stays pure: only @temporalio/workflow, @temporalio/common and its own files.',
            },
            {
              group: ['../pipeline-spec/schema.js'],
              allowTypeImports: true,
              message: 'core/contracts/ may use the pipeline spec as a type only.',
            },
          ],
        },
      ],
    },
  },
);
