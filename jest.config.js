import { SWC_OPTIONS } from './libs/testing/src/ts-worker/swc-options.mjs';

// Native ESM jest (run with `node --experimental-vm-modules`); @swc/jest with the options the worker threads' loader uses too.
const swc = ['@swc/jest', SWC_OPTIONS];

const libs = ['contracts', 'domain', 'eventing', 'read-models', 'platform', 'testing', 'sim', 'chain', 'storage', 'agent'];

const shared = {
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': swc },
  moduleNameMapper: {
    '^#eventing/nest$': '<rootDir>/libs/eventing/src/nest/index.ts',
    '^#platform/nest$': '<rootDir>/libs/platform/src/nest/index.ts',
    '^#contracts/decoding$': '<rootDir>/libs/contracts/src/decoding.ts',
    [`^#(${libs.join('|')})$`]: '<rootDir>/libs/$1/src/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  testEnvironment: 'node',
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/test'],
  modulePathIgnorePatterns: ['<rootDir>/dist/'],
};

export default {
  maxWorkers: 2,
  // Integration files start real services; per-project testTimeout is not honoured by jest 30.
  testTimeout: 60_000,
  globalSetup: '<rootDir>/libs/testing/src/jest/global-setup.ts',
  globalTeardown: '<rootDir>/libs/testing/src/jest/global-teardown.ts',
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: ['**/*.spec.ts'],
      testPathIgnorePatterns: ['\\.int\\.spec\\.ts$', '\\.e2e\\.spec\\.ts$', '\\.browser\\.spec\\.ts$', '\\.fault\\.spec\\.ts$'],
    },
    { ...shared, displayName: 'integration', testMatch: ['**/*.int.spec.ts', '**/*.e2e.spec.ts'] },
    // The dashboard in Debian's Chromium (playwright-core), against a real api; needs `npm run build` first (dist/dashboard).
    { ...shared, displayName: 'browser', testMatch: ['**/*.browser.spec.ts'] },
    // The fault matrix (test/faults, docs/reliability.md): each scenario starts its own servers on loopback and
    // repeats; part of `npm test`, and alone as `npm run test:faults`.
    { ...shared, displayName: 'faults', testMatch: ['**/*.fault.spec.ts'] },
  ],
};
