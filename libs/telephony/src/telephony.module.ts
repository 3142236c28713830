import { Module } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { TelephonyPort } from './telephony.port';
import { TwilioRestAdapter } from './twilio-rest.adapter';

/** Provides the TelephonyPort for the configured provider (Twilio, or the carrier simulator). */
@Module({
  providers: [{ provide: TelephonyPort, inject: [AppConfig], useFactory: (config: AppConfig) => new TwilioRestAdapter(config.telephony) }],
  exports: [TelephonyPort],
})
export class TelephonyModule {}
