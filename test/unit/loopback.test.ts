import { isLoopbackAddress, isLoopbackUrl } from '../../src/loopback';
import { anonymousRefusal } from '../../src/web/botEndpoint';

describe('loopback checks', () => {
  it.each(['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1'])('%s is this machine', (address) => {
    expect(isLoopbackAddress(address)).toBe(true);
  });

  it.each([undefined, '', '10.0.0.1', '192.168.1.20', '::ffff:10.0.0.1', '172.17.0.1', '203.0.113.7', 'fe80::1', '127.0.0.1.example.com', '0.0.0.0'])(
    '%s is not',
    (address) => {
      expect(isLoopbackAddress(address)).toBe(false);
    },
  );

  it.each(['http://127.0.0.1:3978', 'http://localhost:3978/api', 'https://LOCALHOST', 'http://[::1]:8080/x', 'http://127.5.5.5'])('%s is a loopback URL', (url) => {
    expect(isLoopbackUrl(url)).toBe(true);
  });

  it.each([
    undefined,
    'not a url',
    'http://10.0.0.1',
    'http://example.com',
    'https://smba.trafficmanager.net/emea/',
    'http://127.0.0.1.nip.io',
    'http://localhost.example.com',
    'http://user:pw@127.0.0.1',
    'ftp://127.0.0.1',
    'file:///etc/passwd',
    'http://0.0.0.0:3978',
  ])('%s is not', (url) => {
    expect(isLoopbackUrl(url)).toBe(false);
  });
});

describe('the anonymous door of /api/messages', () => {
  const local = 'http://127.0.0.1:9999';

  it('lets the Emulator on this machine in (loopback caller, loopback serviceUrl)', () => {
    expect(anonymousRefusal({ socket: { remoteAddress: '127.0.0.1' }, headers: {} }, local)).toBeUndefined();
    expect(anonymousRefusal({ socket: { remoteAddress: '::ffff:127.0.0.1' }, headers: {} }, 'http://localhost:53000')).toBeUndefined();
  });

  it('refuses a caller from another machine', () => {
    expect(anonymousRefusal({ socket: { remoteAddress: '10.1.2.3' }, headers: {} }, local)).toBe('the caller is not on this machine');
    expect(anonymousRefusal({ socket: {}, headers: {} }, local)).toBe('the caller is not on this machine');
  });

  it('refuses a loopback peer that is a proxy forwarding someone else', () => {
    expect(anonymousRefusal({ socket: { remoteAddress: '127.0.0.1' }, headers: { 'x-forwarded-for': '203.0.113.7' } }, local)).toBe('the caller is not on this machine');
  });

  it('refuses replies to another machine', () => {
    for (const serviceUrl of ['http://10.0.0.1', 'http://example.com', undefined]) {
      expect(anonymousRefusal({ socket: { remoteAddress: '127.0.0.1' }, headers: {} }, serviceUrl)).toBe('the serviceUrl is not on this machine');
    }
  });
});
