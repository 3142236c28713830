import type { ScriptMergeContext } from '@app/campaigns';
import { phoneLastDigits, renderCannedResponses, renderInitialMessage } from './texting-message.renderer';

const INITIAL = {
  template: 'Hi {voter.first_name|there}, this is {volunteer.first_name} with {organization.name}.',
  variants: [{ segmentKey: 'pro_tax_base', template: 'Hi {voter.first_name|there}, Measure A funds schools.' }],
};
const context = (segmentKey: string | null, firstName: string | null = 'MARIA'): ScriptMergeContext => ({
  voter: { firstName, lastName: 'LOPEZ', city: 'SAN JOSE', birthYear: 1980 },
  volunteer: { firstName: 'Sam' },
  organization: { name: 'Bay Voices' },
  segmentKey,
});

describe('renderInitialMessage', () => {
  it('should use the base template with merge fields filled when the voter has no segment', () => {
    expect(renderInitialMessage(INITIAL, context(null))).toEqual({ body: 'Hi Maria, this is Sam with Bay Voices.', segmentKey: null });
  });

  it('should use the variant written for the voter’s segment', () => {
    expect(renderInitialMessage(INITIAL, context('pro_tax_base'))).toEqual({ body: 'Hi Maria, Measure A funds schools.', segmentKey: 'pro_tax_base' });
  });

  it('should fall back to the base template for a segment without a variant, and to the field’s fallback for a missing name', () => {
    expect(renderInitialMessage(INITIAL, context('balanced_suburbans', null))).toEqual({
      body: 'Hi there, this is Sam with Bay Voices.',
      segmentKey: null,
    });
  });
});

describe('renderCannedResponses', () => {
  it('should fill each body’s merge fields and keep keys and titles', () => {
    expect(renderCannedResponses([{ key: 'thanks', title: 'Thanks', body: 'Thank you, {voter.first_name|friend}!' }], context(null))).toEqual([
      { key: 'thanks', title: 'Thanks', body: 'Thank you, Maria!' },
    ]);
  });
});

describe('phoneLastDigits', () => {
  it('should show the last four digits only', () => {
    expect(phoneLastDigits('+14155550123')).toBe('0123');
  });
});
