import type { ResolvedServices } from '../../runtime/src/service-endpoints.resolver';

/** Stops what the global set-up started (an embedded cluster or redis-server); leaves given servers alone. */
export default async function globalTeardown(): Promise<void> {
  await (globalThis as { crossroadsTestServices?: ResolvedServices }).crossroadsTestServices?.stop();
}
