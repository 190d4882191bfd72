import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const alias = { '@': fileURLToPath(new URL('./', import.meta.url)) };

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'unit',
          include: ['**/*.test.ts', '**/*.test.tsx'],
          exclude: ['**/*.int.test.ts', 'node_modules/**', 'e2e/**', '.sandbox/**'],
          environment: 'node',
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'integration',
          include: ['**/*.int.test.ts'],
          exclude: ['node_modules/**', '.sandbox/**'],
          environment: 'node',
          globalSetup: ['./test/sandbox-setup.ts'],
          testTimeout: 300_000,
          hookTimeout: 900_000,
          // One sandbox, one controller: integration files run one after another.
          fileParallelism: false,
        },
      },
    ],
  },
});
