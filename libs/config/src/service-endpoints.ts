/**
 * Where this process actually reaches PostgreSQL and Redis, after the embedded default has
 * been applied. A DI token next to `AppConfig`, because the URLs may only be known at run time.
 */
export abstract class ServiceEndpoints {
  abstract readonly databaseUrl: string;
  abstract readonly redisUrl: string;
}
