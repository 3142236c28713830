import { sessionConferenceName, voterLegTwiml, volunteerLegTwiml } from './call-twiml.builder';

const SESSION_ID = '7c9e6679-7425-40de-944b-e07fc1f90ae7';

/** The attributes and the room name of the one <Conference> in a TwiML document. */
function conferenceOf(twiml: string): { attributes: Record<string, string>; name: string } {
  const matches = [...twiml.matchAll(/<Conference((?:\s+[A-Za-z]+="[^"]*")*)\s*>([^<]*)<\/Conference>/g)];
  expect(matches).toHaveLength(1);
  const [, attributeText, name] = matches[0];
  const attributes = Object.fromEntries([...attributeText.matchAll(/([A-Za-z]+)="([^"]*)"/g)].map(([, key, value]) => [key, value]));
  return { attributes, name };
}

describe('sessionConferenceName', () => {
  it('should name the conference after the session', () => {
    expect(sessionConferenceName(SESSION_ID)).toBe(`session-${SESSION_ID}`);
  });
});

describe('voterLegTwiml', () => {
  it('should dial the voter into the session’s conference', () => {
    const twiml = voterLegTwiml(SESSION_ID);

    expect(twiml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?><Response><Dial><Conference /);
    expect(conferenceOf(twiml).name).toBe(`session-${SESSION_ID}`);
  });

  it('should keep the conference going when the voter hangs up, and join without a beep', () => {
    expect(conferenceOf(voterLegTwiml(SESSION_ID)).attributes).toMatchObject({ endConferenceOnExit: 'false', startConferenceOnEnter: 'true', beep: 'false' });
  });
});

describe('volunteerLegTwiml', () => {
  it('should end the conference when the volunteer leaves', () => {
    expect(conferenceOf(volunteerLegTwiml(SESSION_ID)).attributes).toMatchObject({
      endConferenceOnExit: 'true',
      startConferenceOnEnter: 'true',
      beep: 'false',
    });
  });

  it('should put the volunteer in the same conference as the session’s voters, and no other session’s', () => {
    expect(conferenceOf(volunteerLegTwiml(SESSION_ID)).name).toBe(conferenceOf(voterLegTwiml(SESSION_ID)).name);
    expect(conferenceOf(volunteerLegTwiml('other-session')).name).not.toBe(conferenceOf(voterLegTwiml(SESSION_ID)).name);
  });

  it('should play no hold music while the volunteer waits for a voter', () => {
    expect(conferenceOf(volunteerLegTwiml(SESSION_ID)).attributes).toMatchObject({ waitUrl: '' });
  });
});
