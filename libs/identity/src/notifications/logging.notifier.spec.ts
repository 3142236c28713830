import type { ClsService } from 'nestjs-cls';
import { RecordingLogDestination } from '@app/observability';
import { LoggingNotifier } from './logging.notifier';

describe('LoggingNotifier', () => {
  const expiresAt = new Date('2030-01-02T03:04:05.000Z');
  const cls = (id: string | undefined) => ({ getId: () => id }) as unknown as ClsService;

  it('should write one JSON line with the link, the id and the correlation id, and never the recipient', async () => {
    const destination = new RecordingLogDestination();
    await new LoggingNotifier(destination, cls('corr-1234')).deliver({
      kind: 'invitation',
      subjectId: 'inv-1',
      recipientEmail: 'someone@example.test',
      link: 'http://127.0.0.1:3000/#/invitations/secret',
      expiresAt,
    });
    expect(destination.lines).toHaveLength(1);
    expect(destination.lines[0].endsWith('\n')).toBe(true);
    expect(destination.entries()[0]).toEqual({
      level: 'info',
      time: expect.any(String),
      context: 'LoggingNotifier',
      correlationId: 'corr-1234',
      message: 'invitation link to deliver',
      notification: 'invitation',
      invitationId: 'inv-1',
      link: 'http://127.0.0.1:3000/#/invitations/secret',
      expiresAt: '2030-01-02T03:04:05.000Z',
    });
    expect(destination.lines[0]).not.toContain('someone@example.test');
  });

  it('should name a password reset by its own id key, and leave out a correlation id it does not have', async () => {
    const destination = new RecordingLogDestination();
    await new LoggingNotifier(destination, cls(undefined)).deliver({
      kind: 'password_reset',
      subjectId: 'reset-1',
      recipientEmail: 'someone@example.test',
      link: 'l',
      expiresAt,
    });
    const [entry] = destination.entries();
    expect(entry).toMatchObject({ message: 'password reset link to deliver', passwordResetId: 'reset-1' });
    expect(entry).not.toHaveProperty('correlationId');
    expect(entry).not.toHaveProperty('invitationId');
  });
});
