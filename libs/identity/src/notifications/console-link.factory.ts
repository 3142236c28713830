import { Injectable } from '@nestjs/common';
import { AppConfig } from '@app/config';

/**
 * Links into the web console. The secret rides in the fragment (after `#`), which browsers never
 * send to a server, so it stays out of access logs on the way to the page.
 */
@Injectable()
export class ConsoleLinkFactory {
  private readonly base: string;

  constructor(config: AppConfig) {
    this.base = (config.api.publicBaseUrl ?? `http://127.0.0.1:${config.api.port}`).replace(/\/+$/, '');
  }

  invitation(token: string): string {
    return `${this.base}/#/invitations/${token}`;
  }

  passwordReset(token: string): string {
    return `${this.base}/#/password-resets/${token}`;
  }
}
