import twilio from 'twilio';

/** The conference a volunteer's session talks in: the volunteer's browser and each answered voter join it. */
export function sessionConferenceName(sessionId: string): string {
  return `session-${sessionId}`;
}

/**
 * TwiML for the voter's leg: join the volunteer's conference. The volunteer is already in it, so
 * the voter must not end it on leaving, and hears no hold music before being bridged.
 */
export function voterLegTwiml(sessionId: string): string {
  const response = new twilio.twiml.VoiceResponse();
  response.dial().conference({ startConferenceOnEnter: true, endConferenceOnExit: false, beep: 'false' }, sessionConferenceName(sessionId));
  return response.toString();
}

/** TwiML for the volunteer's browser leg: open the session's conference and keep it while they are in it. */
export function volunteerLegTwiml(sessionId: string): string {
  const response = new twilio.twiml.VoiceResponse();
  response.dial().conference({ startConferenceOnEnter: true, endConferenceOnExit: true, beep: 'false', waitUrl: '' }, sessionConferenceName(sessionId));
  return response.toString();
}

/**
 * TwiML for a live person no volunteer could take within 2 s of their greeting: the campaign's
 * identification message (who called and a number to call back, as the law asks), then hang up.
 */
export function identificationTwiml(message: string): string {
  const response = new twilio.twiml.VoiceResponse();
  response.say(message);
  response.hangup();
  return response.toString();
}

/** TwiML for an answering machine: the campaign's voicemail message if it has one, else hang up at once. */
export function answeringMachineTwiml(voicemailMessage: string | null): string {
  const response = new twilio.twiml.VoiceResponse();
  if (voicemailMessage !== null) response.say(voicemailMessage);
  response.hangup();
  return response.toString();
}
