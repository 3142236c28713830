import { loadAppConfig } from '@app/config';
import { ConsoleLinkFactory } from './console-link.factory';

describe('ConsoleLinkFactory', () => {
  it('should link to the public base URL, without doubling its trailing slash, with the secret after the #', () => {
    const links = new ConsoleLinkFactory(loadAppConfig({ PUBLIC_BASE_URL: 'https://crossroads.example.org/' }));
    expect(links.invitation('abc')).toBe('https://crossroads.example.org/#/invitations/abc');
    expect(links.passwordReset('xyz')).toBe('https://crossroads.example.org/#/password-resets/xyz');
  });

  it('should fall back to the api on 127.0.0.1 and its port when no public URL is set', () => {
    const links = new ConsoleLinkFactory(loadAppConfig({ API_PORT: '3456' }));
    expect(links.invitation('abc')).toBe('http://127.0.0.1:3456/#/invitations/abc');
  });
});
