export * from './call-status';
export * from './call-twiml.builder';
export * from './line-type.util';
export * from './telephony-request.error';
export * from './telephony.module';
export * from './telephony.port';
export * from './twilio-rest.adapter';
