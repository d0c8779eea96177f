import { ConfigError, loadConfig } from '../../src/config';
import { clientAddressResolver } from '../../src/services/limits/clientAddress';
import { DEFAULT_LIMITS, parseRateLimits } from '../../src/services/limits/limits';

const request = (peer: string, forwarded?: string) => ({
  socket: { remoteAddress: peer } as never,
  headers: forwarded === undefined ? {} : { 'x-forwarded-for': forwarded },
});

describe('clientAddress (TRUSTED_PROXIES)', () => {
  it('is the socket address when no proxy is trusted, whatever X-Forwarded-For says', () => {
    const clientAddress = clientAddressResolver(undefined);
    expect(clientAddress(request('127.0.0.1', '198.51.100.7'))).toBe('127.0.0.1');
    expect(clientAddress(request('::ffff:10.1.2.3', '198.51.100.7'))).toBe('10.1.2.3');
  });

  it('ignores X-Forwarded-For from a peer that is not a trusted proxy', () => {
    const clientAddress = clientAddressResolver('10.0.0.0/8');
    expect(clientAddress(request('203.0.113.5', '198.51.100.7'))).toBe('203.0.113.5');
  });

  it('reads X-Forwarded-For from the right, skipping trusted proxies, from a trusted peer', () => {
    const clientAddress = clientAddressResolver('10.0.0.0/8, 2001:db8::/32, 192.0.2.10');
    expect(clientAddress(request('::ffff:10.0.0.2', '198.51.100.7'))).toBe('198.51.100.7');
    // the client forged the first entry; the proxies' own entries decide
    expect(clientAddress(request('10.0.0.2', '1.2.3.4, 198.51.100.7, 192.0.2.10'))).toBe('198.51.100.7');
    expect(clientAddress(request('2001:db8::1', '2001:db8:ffff::9'))).toBe('2001:db8:ffff::9');
    // nothing forwarded, or only proxies: the last proxy seen
    expect(clientAddress(request('10.0.0.2'))).toBe('10.0.0.2');
    expect(clientAddress(request('10.0.0.2', '10.9.9.9'))).toBe('10.9.9.9');
    // garbage stops the walk at the last address that could be trusted
    expect(clientAddress(request('10.0.0.2', 'evil, 10.9.9.9'))).toBe('10.9.9.9');
  });

  it('refuses a bad TRUSTED_PROXIES in the config, naming the variable', () => {
    expect(() => loadConfig({ TRUSTED_PROXIES: '10.0.0.0/99' })).toThrow(ConfigError);
    expect(() => loadConfig({ TRUSTED_PROXIES: 'proxy.example' })).toThrow(/TRUSTED_PROXIES/);
    expect(loadConfig({ TRUSTED_PROXIES: '10.0.0.0/8,::1' }).TRUSTED_PROXIES).toBe('10.0.0.0/8,::1');
  });
});

describe('RATE_LIMITS', () => {
  it('unset → the defaults; off → none; name=count/seconds overrides one', () => {
    expect(parseRateLimits(undefined)).toEqual(DEFAULT_LIMITS);
    expect(parseRateLimits('off')).toBe('off');
    expect(parseRateLimits('messages=30/60, uploads=5/600')).toEqual({
      ...DEFAULT_LIMITS,
      messages: { limit: 30, windowMs: 60_000 },
      uploads: { limit: 5, windowMs: 600_000 },
    });
  });

  it('a bad value is a config error naming the variable', () => {
    expect(() => loadConfig({ RATE_LIMITS: 'off' })).not.toThrow();
    expect(() => loadConfig({ RATE_LIMITS: 'mesages=3/60' })).toThrow(/RATE_LIMITS/);
    expect(() => loadConfig({ RATE_LIMITS: 'messages=3' })).toThrow(/RATE_LIMITS/);
    expect(() => loadConfig({ RATE_LIMITS: 'messages=3/0' })).toThrow(/RATE_LIMITS/);
  });
});
