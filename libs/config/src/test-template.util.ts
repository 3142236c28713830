const TEMPLATE_VARIABLE = 'CROSSROADS_TEST_TEMPLATE_DATABASE';

/**
 * The jest global set-up names the migrated template database of its run and hands the name to
 * the test workers through the environment; a name per run lets two runs share one server.
 */
export function publishTestTemplateDatabase(name: string): void {
  process.env[TEMPLATE_VARIABLE] = name;
}

export function testTemplateDatabase(): string {
  const name = process.env[TEMPLATE_VARIABLE];
  if (!name) throw new Error(`${TEMPLATE_VARIABLE} is not set: run the tests through jest (npm test), whose global set-up creates the template`);
  return name;
}
