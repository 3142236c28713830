/** @type {import('jest').Config} */
const swcOptions = JSON.parse(require('node:fs').readFileSync(`${__dirname}/.swcrc`, 'utf8'));

module.exports = {
  rootDir: __dirname,
  testEnvironment: 'node',
  testMatch: ['<rootDir>/{apps,libs,test}/**/*.{spec,int-spec,e2e-spec}.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '<rootDir>/apps/console/'],
  // @nestjs/bullmq, @nestjs/typeorm 12 and faker ship as ES modules; jest's module system needs them as CommonJS.
  transform: {
    '^.+\\.(t|j)s$': ['@swc/jest', { ...swcOptions, swcrc: false, jsc: { ...swcOptions.jsc, baseUrl: __dirname } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!(@nestjs/(bullmq|bull-shared|typeorm)|@faker-js/faker)/)'],
  moduleNameMapper: {
    '^@app/([^/]+)$': '<rootDir>/libs/$1/src',
    '^@app/([^/]+)/(.*)$': '<rootDir>/libs/$1/src/$2',
  },
  setupFiles: ['reflect-metadata'],
  globalSetup: '<rootDir>/libs/testing/src/jest-global-setup.ts',
  globalTeardown: '<rootDir>/libs/testing/src/jest-global-teardown.ts',
  testTimeout: 60_000,
  maxWorkers: 2,
};
