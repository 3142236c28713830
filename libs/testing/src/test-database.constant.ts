/** Migrated once per `npm test` run by the global set-up; every test file clones it. */
export const TEST_TEMPLATE_DATABASE = 'crossroads_test_template';
