import { ConfigValidationError } from './config-validation.error';
import { loadAppConfig } from './load-app-config.util';

describe('loadAppConfig', () => {
  it('should apply documented defaults when nothing is set', () => {
    const config = loadAppConfig({});
    expect(config.database.url).toBeUndefined();
    expect(config.redis.url).toBeUndefined();
    expect(config.api.port).toBe(3000);
    expect(config.queue.prefix).toBe('crossroads');
    expect(config.dataDirectory).toMatch(/\.data$/);
  });

  it('should convert numbers and keep given URLs', () => {
    const config = loadAppConfig({ API_PORT: '8080', DATABASE_URL: 'postgres://u:p@db:5432/x', REDIS_URL: 'redis://cache:6379' });
    expect(config.api.port).toBe(8080);
    expect(config.database.url).toBe('postgres://u:p@db:5432/x');
    expect(config.redis.url).toBe('redis://cache:6379');
  });

  it('should name every invalid variable and what it expects', () => {
    let thrown: unknown;
    try {
      loadAppConfig({ API_PORT: 'eighty', DATABASE_URL: 'mysql://nope', LOG_LEVEL: 'loud', TWILIO_ACCOUNT_SID: 'XX123' });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigValidationError);
    const error = thrown as ConfigValidationError;
    expect(error.invalidVariables.map((variable) => variable.name).sort()).toEqual(['API_PORT', 'DATABASE_URL', 'LOG_LEVEL', 'TWILIO_ACCOUNT_SID']);
    expect(error.message).toContain('API_PORT: expected a TCP port between 0 and 65535');
    expect(error.message).toContain('DATABASE_URL: expected a PostgreSQL URL');
    expect(error.message).toContain('LOG_LEVEL: expected one of fatal, error, warn, info, debug, trace, silent');
  });

  it('should last sessions 12 hours with cookies marked Secure only behind https, and refuse a session length out of range', () => {
    expect(loadAppConfig({}).sessions).toEqual({ hours: 12, secureCookies: false });
    expect(loadAppConfig({ SESSION_HOURS: '8', PUBLIC_BASE_URL: 'https://crossroads.example.org' }).sessions).toEqual({ hours: 8, secureCookies: true });
    expect(loadAppConfig({ PUBLIC_BASE_URL: 'http://10.0.0.5:3000' }).sessions.secureCookies).toBe(false);
    expect(() => loadAppConfig({ SESSION_HOURS: '0' })).toThrow('SESSION_HOURS: expected a whole number of hours between 1 and 720');
    expect(() => loadAppConfig({ SESSION_HOURS: 'forever' })).toThrow('SESSION_HOURS');
  });

  it('should treat an empty URL as unset so the embedded default applies', () => {
    const config = loadAppConfig({ DATABASE_URL: '', REDIS_URL: ' ', PUBLIC_BASE_URL: '' });
    expect(config.database.url).toBeUndefined();
    expect(config.redis.url).toBeUndefined();
    expect(config.api.publicBaseUrl).toBeUndefined();
  });

  it.each(['', '0x50', '1e1', '80.5', '-1'])('should reject API_PORT=%p rather than guess a number', (value) => {
    expect(() => loadAppConfig({ API_PORT: value })).toThrow('API_PORT: expected a TCP port between 0 and 65535');
  });
});
