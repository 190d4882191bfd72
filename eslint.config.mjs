import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import next from 'eslint-config-next';

export default tseslint.config(
  { ignores: ['.next/**', '.next-*/**', 'node_modules/**', '.sandbox/**', 'next-env.d.ts', 'test-results/**', 'playwright-report/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...next,
  // Type declarations of plain-JS modules (server-direct.d.mts): TypeScript, whatever Next's config parses .mts with.
  { files: ['**/*.d.mts'], languageOptions: { parser: tseslint.parser } },
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-restricted-imports': ['error', { patterns: [{ group: ['../../*'], message: 'Use the @/ alias.' }] }],
    },
  },
);
