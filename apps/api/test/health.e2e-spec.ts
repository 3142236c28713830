import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { RecordingLogDestination } from '@app/observability';
import { createTestContext, TcpProxy, type TestContext, waitUntil } from '@app/testing';
import { createApiApplication } from '../src/api-application.factory';

describe('GET /health', () => {
  let context: TestContext;
  let redisProxy: TcpProxy;
  let app: INestApplication;

  beforeAll(async () => {
    context = await createTestContext();
    // The api reaches Redis through a proxy this test can cut, so "Redis stops" hurts no other test.
    redisProxy = TcpProxy.forUrl(context.endpoints.redisUrl);
    await redisProxy.start();
    app = await createApiApplication({
      config: context.config,
      endpoints: { ...context.endpoints, redisUrl: redisProxy.urlFor(context.endpoints.redisUrl) },
      logDestination: new RecordingLogDestination(),
    });
    await app.init();
  });

  afterAll(async () => {
    await app.close();
    await redisProxy.stop();
    await context.dispose();
  });

  it('should answer 200 when PostgreSQL and Redis answer, then 503 naming Redis once it is stopped, then recover', async () => {
    const healthy = await request(app.getHttpServer()).get('/health').expect(200);
    expect(healthy.body).toMatchObject({ status: 'ok', dependencies: { postgres: { status: 'up' }, redis: { status: 'up' } } });

    await redisProxy.stop();

    const unhealthy = await request(app.getHttpServer()).get('/health').set('x-correlation-id', 'corr-health-503').expect(503);
    expect(unhealthy.body).toMatchObject({
      code: 'dependency_unavailable',
      message: 'redis not answering',
      details: { down: ['redis'], dependencies: { postgres: { status: 'up' }, redis: { status: 'down' } } },
    });
    expect(unhealthy.body.correlationId).toBe('corr-health-503');
    expect(JSON.stringify(unhealthy.body)).not.toMatch(/redis:\/\/|127\.0\.0\.1:\d+/);

    // Enqueueing answers at once, naming the queue, instead of hanging while Redis is away.
    const started = Date.now();
    const refused = await request(app.getHttpServer()).post('/api/system/queue-probes').expect(503);
    expect(refused.body).toMatchObject({ code: 'dependency_unavailable', details: { queue: 'dialer' } });
    expect(Date.now() - started).toBeLessThan(10_000);

    await redisProxy.start();
    await waitUntil(async () => ((await request(app.getHttpServer()).get('/health')).status === 200 ? true : undefined), 'health to recover');
  });

  it('should serve Prometheus metrics including request timings by route', async () => {
    const response = await request(app.getHttpServer()).get('/metrics').expect(200);
    expect(response.headers['content-type']).toContain('text/plain');
    expect(response.text).toContain('crossroads_http_request_duration_seconds_bucket');
    expect(response.text).toMatch(/route="\/health"/);
    expect(response.text).toContain('crossroads_process_cpu_user_seconds_total');
    expect(response.text).toMatch(/crossroads_queue_jobs\{queue="dialer",state="waiting"\} \d+/);
  });

  it('should serve the OpenAPI document as JSON and as a page', async () => {
    const json = await request(app.getHttpServer()).get('/api/docs-json').expect(200);
    expect(json.body.openapi).toMatch(/^3\./);
    expect(Object.keys(json.body.paths)).toEqual(
      expect.arrayContaining(['/health', '/metrics', '/api/system/queue-probes', '/api/system/queue-probes/{batchId}']),
    );
    await request(app.getHttpServer()).get('/api/docs').expect(200).expect('content-type', /html/);
  });

  it('should serve the console sign-in page at / and leave unknown API paths to the API', async () => {
    const page = await request(app.getHttpServer()).get('/').expect(200);
    expect(page.text).toContain('<div id="root"></div>');
    const missing = await request(app.getHttpServer()).get('/api/no-such-thing').expect(404);
    expect(missing.body).toMatchObject({ code: 'not_found' });
  });
});
