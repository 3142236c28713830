import { MASK, maskPhoneNumbers, maskPhoneNumbersInJson, maskSensitiveFields } from './personal-data-masking.util';

describe('maskPhoneNumbers', () => {
  it.each([
    '+19195550123',
    '+1 919 555 0123',
    '(919) 555-0123',
    '919-555-0123',
    '919.555.0123',
    '9195550123',
    '1-919-555-0123',
    '%2B19195550123',
    '+447700900123',
    '919-555-0123x12',
    '(919) 555-0123 ext. 7',
  ])('should mask %s', (phone) => {
    const masked = maskPhoneNumbers(`call ${phone} now`);
    expect(masked).toBe(`call ${MASK} now`);
  });

  it('should leave timestamps, uuids and counts alone', () => {
    const text = '{"time":1795439839857,"id":"123e4567-e89b-12d3-a456-426614174000","rows":1000000,"port":5432}';
    expect(maskPhoneNumbers(text)).toBe(text);
  });
});

describe('maskPhoneNumbersInJson', () => {
  it('should mask inside strings and leave numbers and structure valid', () => {
    const line = '{"bytes":2147483648,"count":5551234567,"note":"call 919-555-0123","nested":"say \\"+19195550123\\""}';
    const masked = maskPhoneNumbersInJson(line);
    expect(JSON.parse(masked)).toEqual({ bytes: 2147483648, count: 5551234567, note: `call ${MASK}`, nested: `say "${MASK}"` });
  });

  it('should see numbers behind escapes such as a newline', () => {
    expect(JSON.parse(maskPhoneNumbersInJson('{"message":"row:\\n9195550123,Maria"}'))).toEqual({ message: `row:\n${MASK},Maria` });
  });
});

describe('maskSensitiveFields', () => {
  it('should mask names, addresses, phones and bodies at any depth', () => {
    const masked = maskSensitiveFields({
      voter: { firstName: 'Maria', last_name: 'Lopez', address: '1 Main St', phones: ['+19195550123'], county: 'Wake' },
      message: { Body: 'STOP' },
      jobId: 'abc',
    });
    expect(masked).toEqual({
      voter: { firstName: MASK, last_name: MASK, address: MASK, phones: MASK, county: 'Wake' },
      message: { Body: MASK },
      jobId: 'abc',
    });
  });
});
