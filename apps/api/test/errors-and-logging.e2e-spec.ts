import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { DataSource, QueryFailedError } from 'typeorm';
import { RecordingLogDestination } from '@app/observability';
import { QueueProbeService } from '@app/queue';
import { createTestContext, type TestContext } from '@app/testing';
import { createApiApplication } from '../src/api-application.factory';

describe('errors, validation and logs of the api', () => {
  let context: TestContext;
  let app: INestApplication;
  const logs = new RecordingLogDestination();

  beforeAll(async () => {
    context = await createTestContext();
    app = await createApiApplication({ config: context.config, endpoints: context.endpoints, logDestination: logs });
    await app.init();
  });

  afterAll(async () => {
    await app.close();
    await context.dispose();
  });

  afterEach(() => jest.restoreAllMocks());

  it('should answer an unexpected error with a bare 500 and correlation id, and log the details', async () => {
    const sql = 'SELECT secret_column FROM voter WHERE phone = $1';
    jest
      .spyOn(app.get(QueueProbeService), 'findBatch')
      .mockRejectedValue(new QueryFailedError(sql, ['+19195550123'], new Error('relation "voter" does not exist')));
    const response = await request(app.getHttpServer())
      .get('/api/system/queue-probes/0b7f2a5e-4a8e-4f5a-9b1e-7c2d3e4f5a6b')
      .set('x-correlation-id', 'test-correlation-500')
      .expect(500);
    expect(response.body).toEqual({ statusCode: 500, code: 'internal_error', message: 'Internal server error', correlationId: 'test-correlation-500' });
    const raw = JSON.stringify(response.body) + JSON.stringify(response.headers);
    expect(raw).not.toMatch(/secret_column|voter|SELECT|at .*\.ts|QueryFailedError/);
    const logged = logs.entries().find((entry) => entry.message === 'unexpected error' && entry.correlationId === 'test-correlation-500');
    expect(logged).toBeDefined();
    expect(JSON.stringify(logged)).toContain('relation \\"voter\\" does not exist');
    // The driver's parameters and detail quote personal data: they never reach a log line.
    const everything = logs.lines.join('');
    for (const personal of ['Maria Lopez', '12 Main St', 'maria.lopez@example.org', '9195550123']) expect(everything).not.toContain(personal);
  });

  it('should answer malformed JSON with a 400 that carries the caller correlation id', async () => {
    const response = await request(app.getHttpServer())
      .post('/api/system/queue-probes')
      .set('content-type', 'application/json')
      .set('x-correlation-id', 'corr-malformed-json')
      .send('{"not json')
      .expect(400);
    expect(response.body).toMatchObject({ statusCode: 400, code: 'validation_failed', correlationId: 'corr-malformed-json' });
    expect(response.headers['x-correlation-id']).toBe('corr-malformed-json');
    expect(response.body.message).toBe('The request body is not valid JSON');

    const unsupported = await request(app.getHttpServer())
      .post('/api/system/queue-probes')
      .set('content-type', 'application/json; charset=latin1')
      .send('{}')
      .expect(415);
    expect(unsupported.body).toMatchObject({ code: 'unsupported_media_type' });

    const oversized = await request(app.getHttpServer())
      .post('/api/system/queue-probes')
      .set('content-type', 'application/json')
      .send(JSON.stringify({ padding: 'x'.repeat(1_100_000) }))
      .expect(413);
    expect(oversized.body).toMatchObject({ code: 'payload_too_large', message: 'The request body is larger than 1mb' });
  });

  it('should map a domain exception to its status and code', async () => {
    const response = await request(app.getHttpServer()).get('/api/system/queue-probes/0b7f2a5e-4a8e-4f5a-9b1e-7c2d3e4f5a6b').expect(404);
    expect(response.body).toMatchObject({
      statusCode: 404,
      code: 'not_found',
      message: 'Queue probe batch 0b7f2a5e-4a8e-4f5a-9b1e-7c2d3e4f5a6b was not found',
    });
  });

  it('should reject a malformed parameter and unknown body properties, naming them, and write nothing', async () => {
    const badId = await request(app.getHttpServer()).get('/api/system/queue-probes/not-a-uuid').expect(400);
    expect(badId.body).toMatchObject({ code: 'validation_failed', message: 'batchId must be a UUID' });

    const before = await app.get(DataSource).query('SELECT count(*)::int AS count FROM queue_probe');
    const unknown = await request(app.getHttpServer()).post('/api/system/queue-probes').send({ phone: '+19195550123', force: true }).expect(400);
    expect(unknown.body.details.errors).toEqual(expect.arrayContaining(['property phone should not exist', 'property force should not exist']));
    const after = await app.get(DataSource).query('SELECT count(*)::int AS count FROM queue_probe');
    expect(after).toEqual(before);
  });

  it('should keep phone numbers that pass through a request out of every log line', async () => {
    logs.lines.length = 0;
    const phones = ['+19195550123', '(919) 555-0187', '919.555.0199', '+447700900123'];
    await request(app.getHttpServer())
      .get(`/api/system/queue-probes/${encodeURIComponent(phones[0])}?callback=${encodeURIComponent(phones[1])}`)
      .expect(400);
    await request(app.getHttpServer())
      .post('/api/system/queue-probes')
      .set('x-correlation-id', 'test-correlation-phones')
      .send({ phone: phones[2], note: `call ${phones[3]}`, firstName: 'Maria' })
      .expect(400);
    const text = logs.lines.join('');
    expect(logs.lines.length).toBeGreaterThanOrEqual(2);
    expect(text).toContain('test-correlation-phones');
    // Compare digits only, so no spelling or URL encoding of a number can slip through.
    const digitsOnly = text.replace(/\D/g, '');
    for (const digits of ['9195550123', '9195550187', '9195550199', '7700900123']) {
      expect(digitsOnly).not.toContain(digits);
    }
    expect(text).not.toContain('Maria');
  });
});
