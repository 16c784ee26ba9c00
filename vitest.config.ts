import { configDefaults, defineConfig } from 'vitest/config';

// Two speeds. `unit` runs the TypeScript sources in-process (built-in steps load from steps/*.ts):
// no build, no prepared data, seconds. `e2e` is everything that needs dist/ or .cache/data: the CLI
// as a child process, worker threads (the pool runs the compiled worker), the editor's language
// server, the packed tarball and the 3M-row flights; its global setup builds dist/ and prepares the
// data. A file is e2e when its name ends in .e2e.test.ts.
const e2e = ['test/**/*.e2e.test.ts'];

export default defineConfig({
  test: {
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...e2e],
          // The CLI and language-server helpers refuse to start here: such a test belongs in e2e.
          env: { FLOW_TEST_PROJECT: 'unit' },
          testTimeout: 30_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: e2e,
          exclude: [...configDefaults.exclude],
          // Workers and the CLI run compiled JavaScript: build dist/ and prepare the data once.
          globalSetup: ['test/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 600_000,
        },
      },
    ],
  },
});
