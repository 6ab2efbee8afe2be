// Lint rules for the web app: TypeScript's recommended checks with types, the rules of hooks,
// accessibility (jsx-a11y), and the architecture of CONVENTIONS.md as import boundaries:
//   - a feature (src/features/<name>) imports only itself, src/lib, src/components, src/api and
//     the shared session (@/features/auth/session) — never another feature and never src/app;
//   - src/lib and src/components import no feature and nothing of src/app;
//   - only src/app composes features (router, layout, pages that show two features).
// Formatting is Prettier's (npm run format); eslint-config-prettier turns off what it decides.
import { readdirSync } from 'node:fs';
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import jsxA11y from 'eslint-plugin-jsx-a11y';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const features = readdirSync(new URL('./src/features', import.meta.url), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name);

const noApp = {
  group: ['@/app', '@/app/*'],
  message: 'src/app composes features; nothing imports it back.',
};

// One block per feature: every other feature is out of bounds (the session is the exception).
// Tests may also use src/app (they render the whole app).
const featureBoundaries = features.flatMap((feature) => {
  const patterns = [
    {
      regex: `^@/features/(?!${feature}/|auth/session$)`,
      message:
        'A feature does not import another feature (only @/features/auth/session is shared); compose them in src/app.',
    },
    { regex: '^\\.\\./\\.\\./', message: 'Reach outside the feature through @/ paths.' },
  ];
  return [
    {
      files: [`src/features/${feature}/**/*.{ts,tsx}`],
      rules: { 'no-restricted-imports': ['error', { patterns: [...patterns, noApp] }] },
    },
    {
      files: [`src/features/${feature}/**/*.test.{ts,tsx}`, `src/features/${feature}/testing.ts`],
      rules: { 'no-restricted-imports': ['error', { patterns }] },
    },
  ];
});

export default tseslint.config(
  { ignores: ['dist', 'coverage', 'test-results', 'playwright-report', 'src/api/schema.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  jsxA11y.flatConfigs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2023,
      globals: { ...globals.browser },
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-misused-promises': [
        'error',
        { checksVoidReturn: { attributes: false } },
      ],
      'no-console': ['error', { allow: ['warn', 'error'] }],
      // Focus moves on purpose where a step begins (the second-factor code, a reply being
      // written); components decide that, plain elements do not.
      'jsx-a11y/no-autofocus': ['error', { ignoreNonDOM: true }],
    },
  },
  ...featureBoundaries,
  {
    files: ['src/lib/**/*.{ts,tsx}', 'src/components/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@/features/*'], message: 'Shared code does not depend on a feature.' },
            noApp,
          ],
        },
      ],
    },
  },
  {
    // Tests and their fakes may use what test code needs.
    files: ['src/**/*.test.{ts,tsx}', 'src/test/**', 'src/features/*/testing.ts', 'e2e/**'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    // The journeys and the tool configs run in Node, outside the app's TypeScript project.
    files: [
      'e2e/**',
      'scripts/**',
      '*.config.{ts,js,cjs}',
      'eslint.config.js',
      'postcss.config.cjs',
    ],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: { ...globals.node },
    },
  },
  prettier,
);
