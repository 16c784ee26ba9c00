// ESLint: the recommended JavaScript and typescript-eslint rules (syntax only, no type information,
// so it stays fast), tuned to the codebase's deliberate style. Formatting is Prettier's job
// (.prettierrc.json); the layers are dependency-cruiser's (.dependency-cruiser.cjs).
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  globalIgnores(['dist/', 'out/', '.cache/', 'coverage/', 'test/fixtures/', '**/node_modules/']),
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // Step generics, reducer accumulators and compiled expressions take any value on purpose.
      '@typescript-eslint/no-explicit-any': 'off',
      // `const { records: _, ...rest } = x` drops a key; `_x` marks an argument kept for its position.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true },
      ],
      // The bundled CLI loads the precompiled validators with require() (engine/planning/validate/validators.ts).
      '@typescript-eslint/no-require-imports': ['error', { allow: ['/validators\\.cjs$'] }],
      'no-empty': ['error', { allowEmptyCatch: true }],
    },
  },
  {
    // Type-level code: `{}` is the identity of `&` when JSON Schemas are mapped to types.
    files: ['engine/contract/schema-types.ts', 'test/engine/contract/schema-types.test.ts'],
    rules: { '@typescript-eslint/no-empty-object-type': 'off' },
  },
  {
    // Tests, benchmarks and scripts use comma sequences as terse statements (`(a = 1), b++`), and
    // tests match terminal output (escape codes, indentation) with regular expressions.
    files: ['test/**', 'bench/**', 'scripts/**'],
    rules: { '@typescript-eslint/no-unused-expressions': 'off', 'no-control-regex': 'off', 'no-regex-spaces': 'off' },
  },
);
