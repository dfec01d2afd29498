// Flat config. The Nx module-boundary rule makes DESIGN.md's layering enforceable:
// model <- ledger <- capabilities <- apps; a capability may use another capability only through its
// public entry point (the package name), never a relative path into it. trust (signed records) sits
// beside the ledger on the model alone, so that the ledger and everything above may verify signatures.
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

export const depConstraints = [
  { sourceTag: 'type:model', onlyDependOnLibsWithTags: ['type:model'] },
  { sourceTag: 'type:trust', onlyDependOnLibsWithTags: ['type:model'] },
  { sourceTag: 'type:ledger', onlyDependOnLibsWithTags: ['type:model', 'type:trust'] },
  {
    sourceTag: 'type:capability',
    onlyDependOnLibsWithTags: ['type:model', 'type:trust', 'type:ledger', 'type:capability'],
  },
  {
    sourceTag: 'type:app',
    onlyDependOnLibsWithTags: ['type:model', 'type:trust', 'type:ledger', 'type:capability', 'type:local-cloud'],
  },
  // local-cloud stands in for AWS: it knows nothing of shipgate beyond the shared model.
  { sourceTag: 'type:local-cloud', onlyDependOnLibsWithTags: ['type:model'] },
  // The sample service is what gets deployed; it may use the seeding library for its dataset.
  { sourceTag: 'type:service', onlyDependOnLibsWithTags: ['type:model', 'type:capability'] },
  { sourceTag: 'type:loadtest', onlyDependOnLibsWithTags: [] },
  {
    sourceTag: 'type:tools',
    onlyDependOnLibsWithTags: [
      'type:model',
      'type:trust',
      'type:ledger',
      'type:capability',
      'type:app',
      'type:local-cloud',
      'type:service',
    ],
  },
];

export default tseslint.config(
  {
    ignores: [
      '**/.scratch/**',
      '**/node_modules/**',
      '**/dist/**',
      '**/.nx/**',
      '**/__fixtures__/**',
      '.shipgate/**',
      '**/coverage/**',
      '**/*.bundle.js',
    ],
  },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.mjs', '**/*.js'],
    plugins: { '@nx': nx },
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints,
          banTransitiveDependencies: false,
          // The CLI loads heavy libraries lazily (per command); static imports of them elsewhere are fine.
          checkDynamicDependenciesExceptions: [
            '@shipgate/model',
            '@shipgate/ledger',
            '@shipgate/trust',
            '@shipgate/seeding',
            '@shipgate/promotion-gate',
            '@shipgate/ecs-deploy',
            '@shipgate/rollback',
            '@shipgate/infra',
            '@shipgate/local-cloud',
            '@shipgate/sample-service',
          ],
        },
      ],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.object.name='Math'][callee.property.name='random']",
          message: 'Pass a Random port in; core code never calls Math.random().',
        },
      ],
    },
  },
  {
    // The pure libraries take their clock and randomness from ports.
    files: ['libs/*/src/**/*.ts'],
    ignores: ['libs/*/src/**/*.test.ts', 'libs/*/src/**/adapters/**', 'libs/*/src/**/*.bench.ts'],
    rules: {
      'no-restricted-properties': ['error', { object: 'Date', property: 'now', message: 'Use the Clock port.' }],
    },
  },
  {
    // Each project's vitest config imports the shared settings from the workspace root.
    // Operational scripts (tools/, build scripts) call other projects' scripts by path.
    // Benchmarks measure a library against local-cloud, the thing it runs on.
    files: ['**/vitest.config.ts', 'tools/**/*.mjs', '**/build.mjs', 'libs/*/bench/**', 'apps/*/bench/**'],
    rules: { '@nx/enforce-module-boundaries': 'off' },
  },
  prettier,
);
