import { Client } from 'pg';
import type { ResolvedServices } from '../../runtime/src/service-endpoints.resolver';

/** Drops this run's template, then stops what the global set-up started; given servers are left running. */
export default async function globalTeardown(): Promise<void> {
  const state = globalThis as { crossroadsTestServices?: ResolvedServices; crossroadsTestTemplate?: string };
  try {
    if (state.crossroadsTestServices && state.crossroadsTestTemplate) {
      const admin = new Client({ connectionString: state.crossroadsTestServices.endpoints.databaseUrl });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${state.crossroadsTestTemplate} WITH (FORCE)`).finally(() => admin.end());
    }
  } finally {
    await state.crossroadsTestServices?.stop();
  }
}
