import os from 'node:os';
import { createApp, type App } from '../../src/app';
import { ConfigError, loadConfig, type Config } from '../../src/config';
import { createLogger } from '../../src/logger';
import { freePort, LogCapture, tempDir } from '../helpers/appHarness';

const PUBLIC = 'https://onboarding.example.no';

/** Starts the app with a config as given (not through loadConfig, which already refuses the unsafe ones). */
async function appWith(config: Config): Promise<{ app: App; url: string }> {
  const app = await createApp(config, { logger: createLogger({ level: 'silent', destination: new LogCapture() }) });
  return { app, url: await app.start() };
}

async function configWith(env: Record<string, string>): Promise<Config> {
  return loadConfig({ PORT: String(await freePort()), DATA_DIR: tempDir('devmail-'), ...env });
}

describe('the mail transport in production', () => {
  it('refuses to start on a public PUBLIC_URL without SMTP_URL, naming SMTP_URL and DEV_MAILBOX', async () => {
    const problem = (() => {
      try {
        loadConfig({ PUBLIC_URL: PUBLIC, DATA_DIR: tempDir('devmail-') });
      } catch (error) {
        return error;
      }
      return undefined;
    })();
    expect(problem).toBeInstanceOf(ConfigError);
    expect((problem as ConfigError).problems).toEqual([expect.stringMatching(/^SMTP_URL: required when PUBLIC_URL is not on this machine.*DEV_MAILBOX=true/)]);
    expect(() => loadConfig({ PUBLIC_URL: 'http://10.0.0.5:3978', DATA_DIR: tempDir('devmail-') })).toThrow(/SMTP_URL: required/);
  });

  it('starts with SMTP_URL, with DEV_MAILBOX=true, or on a loopback PUBLIC_URL', () => {
    expect(loadConfig({ PUBLIC_URL: PUBLIC, SMTP_URL: 'smtp://mail.example.no:587' }).PUBLIC_URL).toBe(PUBLIC);
    expect(loadConfig({ PUBLIC_URL: PUBLIC, DEV_MAILBOX: 'true' }).DEV_MAILBOX).toBe(true);
    expect(loadConfig({ PUBLIC_URL: 'http://127.0.0.1:3978' }).DEV_MAILBOX).toBe(false);
    expect(loadConfig({}).PUBLIC_URL).toBe('http://localhost:3978');
  });
});

describe('GET /dev/mail', () => {
  const started: App[] = [];
  afterAll(async () => {
    for (const app of started) await app.stop();
  });

  const get = async (config: Config): Promise<number[]> => {
    const { app, url } = await appWith(config);
    started.push(app);
    return Promise.all(['/dev/mail', '/dev/mail/some.eml'].map(async (route) => (await fetch(url + route)).status));
  };

  it('is served on a development machine (loopback PUBLIC_URL, no SMTP_URL)', async () => {
    const config = await configWith({});
    expect(await get({ ...config, PUBLIC_URL: `http://127.0.0.1:${config.PORT}` })).toEqual([200, 404]);
  });

  it('is not served when PUBLIC_URL is public and DEV_MAILBOX is not set, even without SMTP_URL', async () => {
    const config = await configWith({});
    expect(await get({ ...config, PUBLIC_URL: PUBLIC })).toEqual([404, 404]);
  });

  it('is served on a public PUBLIC_URL only with DEV_MAILBOX=true', async () => {
    const config = await configWith({ PUBLIC_URL: PUBLIC, DEV_MAILBOX: 'true' });
    expect(await get(config)).toEqual([200, 404]);
  });

  it('is not served with SMTP_URL (there is no local mailbox)', async () => {
    const config = await configWith({ SMTP_URL: 'smtp://127.0.0.1:1', DEV_MAILBOX: 'true' });
    expect(await get(config)).toEqual([404, 404]);
  });
});

/** This machine's own non-loopback address: a request to it arrives with that (not a loopback) TCP peer, as from a container's port mapping. */
const lanAddress = Object.values(os.networkInterfaces())
  .flat()
  .find((a) => a && !a.internal && a.family === 'IPv4')?.address;

describe('the development doors answer only requests opened on this machine', () => {
  const started: App[] = [];
  afterAll(async () => {
    for (const app of started) await app.stop();
  });
  const start = async (config: Config): Promise<number> => {
    const { app } = await appWith(config);
    started.push(app);
    return config.PORT;
  };
  /** The status and body of GET route on the given host. */
  const get = async (host: string, port: number, route: string, headers: Record<string, string> = {}) => {
    const res = await fetch(`http://${host}:${port}${route}`, { headers });
    return { status: res.status, body: await res.text() };
  };

  it('the container case (localhost PUBLIC_URL by default, no SMTP_URL): /dev/mail and /dev/courses are 404 to another host and through a proxy', async () => {
    if (!lanAddress) throw new Error('this machine has no non-loopback IPv4 address to call from');
    const config = await configWith({});
    expect(config.PUBLIC_URL).toBe(`http://localhost:${config.PORT}`);
    const port = await start(config);

    expect((await get('127.0.0.1', port, '/dev/mail')).status).toBe(200);
    for (const route of ['/dev/mail', '/dev/mail/some.eml', '/dev/courses/course-1?token=x']) {
      expect(await get(lanAddress, port, route)).toEqual({ status: 404, body: '' });
      expect(await get('127.0.0.1', port, route, { 'x-forwarded-for': '203.0.113.7' })).toEqual({ status: 404, body: '' });
      expect(await get('127.0.0.1', port, route, { forwarded: 'for=203.0.113.7' })).toEqual({ status: 404, body: '' });
    }
    // from this machine the course page itself answers (here: its localized page for a link that is not valid)
    expect((await get('127.0.0.1', port, '/dev/courses/course-1?token=x')).body).toMatch(/<html/);
  });

  it('with DEV_MAILBOX=true and DEV_COURSES=true they answer another host too', async () => {
    if (!lanAddress) throw new Error('this machine has no non-loopback IPv4 address to call from');
    const port = await start(await configWith({ DEV_MAILBOX: 'true', DEV_COURSES: 'true' }));
    expect((await get(lanAddress, port, '/dev/mail')).status).toBe(200);
    expect((await get(lanAddress, port, '/dev/mail', { 'x-forwarded-for': '203.0.113.7' })).status).toBe(200);
    expect((await get(lanAddress, port, '/dev/courses/course-1?token=x')).body).toMatch(/<html/);
  });
});
