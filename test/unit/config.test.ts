import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, environmentSchema, loadConfig, projectRoot } from '../../src/config';

describe('configuration', () => {
  it('has defaults that run on one machine with nothing installed', () => {
    const config = loadConfig({});
    expect(config.PORT).toBe(3978);
    expect(config.PUBLIC_URL).toBe('http://localhost:3978');
    expect(config.DATA_URL).toBe('sqlite://' + path.join(projectRoot(), '.data', 'onboarding.sqlite'));
    expect(config.SMTP_URL).toBeUndefined();
    expect(config.LOG_TRANSCRIPTS).toBe(false);
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ DATA_URL: 'mysql://localhost/db' }, 'DATA_URL'],
    [{ SMTP_URL: 'http://mail' }, 'SMTP_URL'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ LOG_TRANSCRIPTS: 'maybe' }, 'LOG_TRANSCRIPTS'],
    [{ TOKEN_SECRET: 'short' }, 'TOKEN_SECRET'],
    [{ PUBLIC_URL: 'localhost:3978' }, 'PUBLIC_URL'],
    [{ MicrosoftAppId: 'abc' }, 'MicrosoftAppPassword'],
    [{ MicrosoftAppType: 'SingleTenant' }, 'MicrosoftAppTenantId'],
  ])('a bad value stops start-up naming the variable (%j)', (env, variable) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    try {
      loadConfig(env);
    } catch (error) {
      expect((error as ConfigError).message).toContain(variable);
      expect((error as ConfigError).message).toMatch(/expected|required|Invalid/i);
    }
  });

  describe('NODE_ENV=production (the Docker image)', () => {
    const problemsOf = (env: Record<string, string>): string[] => {
      try {
        loadConfig({ NODE_ENV: 'production', ...env });
      } catch (error) {
        if (error instanceof ConfigError) return error.problems;
        throw error;
      }
      return [];
    };

    it('stops start-up without PUBLIC_URL and a mail transport, naming both (no localhost fallback, no open mailbox)', () => {
      expect(problemsOf({})).toEqual([
        expect.stringMatching(/^PUBLIC_URL: required when NODE_ENV=production/),
        expect.stringMatching(/^SMTP_URL: required when NODE_ENV=production.*DEV_MAILBOX=true/),
      ]);
      expect(problemsOf({ PUBLIC_URL: 'http://localhost:3978' })).toEqual([expect.stringMatching(/^SMTP_URL: required when NODE_ENV=production/)]);
      expect(problemsOf({ SMTP_URL: 'smtp://mail.example.no:587' })).toEqual([expect.stringMatching(/^PUBLIC_URL: required when NODE_ENV=production/)]);
    });

    it('starts with PUBLIC_URL and SMTP_URL, or PUBLIC_URL and DEV_MAILBOX=true', () => {
      expect(problemsOf({ PUBLIC_URL: 'https://onboarding.example.no', SMTP_URL: 'smtp://mail.example.no:587' })).toEqual([]);
      expect(problemsOf({ PUBLIC_URL: 'https://onboarding.example.no', DEV_MAILBOX: 'true' })).toEqual([]);
    });
  });

  it('README documents exactly the variables the schema reads', () => {
    const readme = fs.readFileSync(path.join(projectRoot(), 'README.md'), 'utf8');
    const table = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('## Storage'));
    const documented = [...table.matchAll(/^\| `([A-Za-z_]+)` \|/gm)].map((m) => m[1]).sort();
    expect(documented).toEqual(Object.keys(environmentSchema.shape).sort());
  });
});
