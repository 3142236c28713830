import twilio from 'twilio';
import { parseTwiml, TwimlException } from './twiml.parser';

function codeOf(document: string): number {
  try {
    parseTwiml(document);
  } catch (error) {
    expect(error).toBeInstanceOf(TwimlException);
    return (error as TwimlException).code;
  }
  throw new Error('expected the TwiML to be refused');
}

describe('parseTwiml', () => {
  it('should read the verbs twilio-node writes, in order, with their attributes and defaults', () => {
    const response = new twilio.twiml.VoiceResponse();
    response.say({ loop: 2 }, 'Hello <there> & bye');
    response.play({ loop: 0 }, 'https://example.test/hold.mp3');
    response.pause({ length: 3 });
    response.pause();
    response.dial().conference({ startConferenceOnEnter: false, endConferenceOnExit: true, beep: 'onEnter', waitUrl: '' }, 'session-1');
    response.dial().conference('plain');
    response.redirect({ method: 'GET' }, '/next?a=1&b=2');
    response.redirect('https://example.test/other');
    response.hangup();

    expect(parseTwiml(response.toString())).toEqual([
      { verb: 'Say', text: 'Hello <there> & bye', loop: 2 },
      { verb: 'Play', url: 'https://example.test/hold.mp3', loop: 1000 },
      { verb: 'Pause', lengthSeconds: 3 },
      { verb: 'Pause', lengthSeconds: 1 },
      { verb: 'Dial', conference: { name: 'session-1', startConferenceOnEnter: false, endConferenceOnExit: true, beep: 'onEnter', waitUrl: '' } },
      { verb: 'Dial', conference: { name: 'plain', startConferenceOnEnter: true, endConferenceOnExit: false, beep: 'true', waitUrl: null } },
      { verb: 'Redirect', url: '/next?a=1&b=2', method: 'GET' },
      { verb: 'Redirect', url: 'https://example.test/other', method: 'POST' },
      { verb: 'Hangup' },
    ]);
    expect(parseTwiml('<Response/>')).toEqual([]);
  });

  it('should refuse documents that are not XML with 12100 and TwiML it does not run with 12200', () => {
    expect(codeOf('<Response><Say>unclosed</Response>')).toBe(12100);
    expect(codeOf('not xml at all')).toBe(12100);
    expect(codeOf('<Reply><Hangup/></Reply>')).toBe(12100);
    expect(codeOf('<Response><Gather/></Response>')).toBe(12200);
    expect(codeOf('<Response><Dial>+15551230001</Dial></Response>')).toBe(12200);
    expect(codeOf('<Response><Dial><Number>+15551230001</Number></Dial></Response>')).toBe(12200);
    expect(codeOf('<Response><Dial><Conference endConferenceOnExit="yes">x</Conference></Dial></Response>')).toBe(12200);
    expect(codeOf('<Response><Pause length="two"/></Response>')).toBe(12200);
    expect(codeOf('<Response><Redirect method="PUT">/x</Redirect></Response>')).toBe(12200);
  });
});
