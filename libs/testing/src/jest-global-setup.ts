import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { Client } from 'pg';
import { loadAppConfig } from '../../config/src/load-app-config.util';
import { childProcessEnvironment, publishEndpointsToEnvironment } from '../../config/src/process-environment.util';
import { resolveServiceEndpoints } from '../../runtime/src/service-endpoints.resolver';
import { publishTestTemplateDatabase } from '../../config/src/test-template.util';

/**
 * Runs once before all test files: applies the embedded default (a throwaway cluster under
 * .data/test when DATABASE_URL is unset), then builds the migrated template database with the
 * real `db migrate` command. Jest's global set-up does not apply path aliases, hence the relative imports.
 */
export default async function globalSetup(): Promise<void> {
  const loaded = loadAppConfig();
  // A throwaway cluster of its own, so tests never touch the demo's data under .data/postgres.
  const config = loaded.database.url ? loaded : { ...loaded, dataDirectory: resolve(loaded.dataDirectory, 'test') };
  const services = await resolveServiceEndpoints(config, { databaseName: 'postgres', durability: 'throwaway', log: () => undefined });
  (globalThis as { crossroadsTestServices?: typeof services }).crossroadsTestServices = services;
  publishEndpointsToEnvironment(services.endpoints);

  const template = `crossroads_test_template_${process.pid}`;
  (globalThis as { crossroadsTestTemplate?: string }).crossroadsTestTemplate = template;
  publishTestTemplateDatabase(template);

  const admin = new Client({ connectionString: services.endpoints.databaseUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${template}`);
  } finally {
    await admin.end();
  }
  const templateUrl = new URL(services.endpoints.databaseUrl);
  templateUrl.pathname = `/${template}`;
  execFileSync(process.execPath, ['dist/apps/cli/src/main.js', 'db', 'migrate'], {
    env: childProcessEnvironment({ ...services.endpoints, databaseUrl: templateUrl.toString() }),
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}
