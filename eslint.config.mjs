import eslint from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.data/**', 'coverage/**', 'test-artifacts/**', '**/*.js', '**/*.mjs'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { ecmaVersion: 2023, sourceType: 'module' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-console': 'error',
      // Configuration is validated once in libs/config; everything else receives AppConfig.
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Read configuration through AppConfig (libs/config), never process.env.' }],
      'no-restricted-syntax': [
        'error',
        { selector: "Property[key.name='synchronize'][value.value=true]", message: 'The schema changes only through migrations.' },
        { selector: "CallExpression[callee.object.name=/^(it|describe|test)$/][callee.property.name=/^(only|skip)$/]", message: 'No focused or skipped tests.' },
      ],
    },
  },
  {
    files: ['libs/config/**/*.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    // The values-poll generator is the ground truth the classifier is judged against: it may share
    // no code or constants with the model, or a shared mistake would grade itself correct.
    files: ['libs/segments/src/synthetic-poll/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['../*', '@app/segments', '@app/segments/*'], message: 'The synthetic poll generator may not use the model’s code.' }] },
      ],
    },
  },
  {
    files: ['libs/segments/src/**/*.ts'],
    ignores: ['libs/segments/src/synthetic-poll/**', 'libs/segments/src/**/*.spec.ts', 'libs/segments/src/**/*.int-spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/synthetic-poll', '**/synthetic-poll/*', '@app/segments/synthetic-poll'], message: 'The model may not use the generator that grades it.' }] },
      ],
    },
  },
  {
    // The pacer decides from its snapshot alone: production ticks and the simulation's virtual time run the same code.
    files: ['libs/dialer/src/pacing/**/*.ts'],
    ignores: ['libs/dialer/src/pacing/**/*.spec.ts'],
    rules: {
      'no-restricted-globals': [
        'error',
        ...['Date', 'setTimeout', 'setInterval', 'setImmediate', 'queueMicrotask', 'performance', 'process', 'fetch', 'require'].map((name) => ({
          name,
          message: 'The pacer is pure: time comes in as `now`, everything else in the snapshot.',
        })),
      ],
      'no-restricted-properties': ['error', { object: 'Math', property: 'random', message: 'The pacer is deterministic.' }],
      'no-restricted-imports': ['error', { patterns: [{ regex: '^(?!\\./)', message: 'The pacer imports only its own pure modules.' }] }],
    },
  },
  {
    files: ['bench/**/*.ts', 'apps/cli/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
  prettier,
);
