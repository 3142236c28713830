import { Injectable } from '@nestjs/common';
import { ClsService } from 'nestjs-cls';
import { LogDestination } from '@app/observability';
import { type Notification, type NotificationKind, Notifier } from './notifier';

const ID_KEY: Readonly<Record<NotificationKind, string>> = { invitation: 'invitationId', password_reset: 'passwordResetId' };

/**
 * Delivers a link by writing one JSON line to the process's log destination: an operator reads it
 * and passes the link on. The line goes straight to the destination rather than through the
 * leveled logger because it is a delivery, not a diagnostic: neither LOG_LEVEL nor the command
 * line's warn floor may swallow an invitation. The recipient's email address is left out.
 */
@Injectable()
export class LoggingNotifier extends Notifier {
  constructor(
    private readonly destination: LogDestination,
    private readonly cls: ClsService,
  ) {
    super();
  }

  deliver(notification: Notification): Promise<void> {
    const correlationId = this.cls.getId() as string | undefined;
    const line = {
      level: 'info',
      time: new Date().toISOString(),
      context: LoggingNotifier.name,
      ...(correlationId ? { correlationId } : {}),
      message: `${notification.kind.replace('_', ' ')} link to deliver`,
      notification: notification.kind,
      [ID_KEY[notification.kind]]: notification.subjectId,
      link: notification.link,
      expiresAt: notification.expiresAt.toISOString(),
    };
    this.destination.write(`${JSON.stringify(line)}\n`);
    return Promise.resolve();
  }
}
