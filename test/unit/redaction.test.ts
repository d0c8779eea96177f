import { type Activity, MemoryStorage, TestAdapter } from 'botbuilder';
import { keepStateOnCoordinationErrors } from '../../src/bot/coordinationErrors';
import { LogActivitiesMiddleware } from '../../src/bot/middleware/logActivities';
import { createBotStates } from '../../src/bot/state';
import { createTurnErrorHandler } from '../../src/bot/turnErrorHandler';
import { Phrases } from '../../src/bot/turnLanguage';
import { createLogger, errorSummary, loggableId, MAX_TRANSCRIPT_CHARS, redactText, transcriptText } from '../../src/logger';
import { createTranslator } from '../../src/services/i18n/translator';
import { EtagConflictError } from '../../src/services/store/documentStore';
import { LogCapture } from '../helpers/logCapture';

describe('redactText (transcripts with LOG_TRANSCRIPTS=true)', () => {
  it.each<[string, string]>([
    ['my password is Hunter2-Hunter2', 'my password [redacted]'],
    ['My Password: Hunter2 and more words', 'My Password [redacted]'],
    ['passordet mitt er Sommer2024!', 'passordet [redacted]'],
    ['Passordet er «blå fjord 77»', 'Passordet [redacted]'],
    ['pwd=hunter2', 'pwd [redacted]'],
    ['min pinkode er 1234', 'min pinkode [redacted]'],
    ['I forgot my password', 'I forgot my password'],
  ])('%j → %j', (text, expected) => {
    expect(redactText(text)).toBe(expected);
  });

  it.each<[string, string]>([
    ['my password is Hunter2', 'my password [redacted]'],
    ['passordet mitt er sommer2024', 'passordet [redacted]'],
    ['password: correct horse', 'password [redacted]'],
    ['pw=abc', 'pw [redacted]'],
    ['passordet er sommerfugl', 'passordet [redacted]'],
    ['my new password will be sunshine', 'my new password [redacted]'],
    ['the password I chose was sunshine', 'the password [redacted]'],
    ['passordet jeg valgte er sommerfugl', 'passordet [redacted]'],
    ['username ola password sunshine', 'username ola password [redacted]'],
    ['«passordet» sommerfugl', '«passordet [redacted]'],
    ['passordet - sommerfugl', 'passordet [redacted]'],
    ['the password reset to sunshine', 'the password [redacted]'],
    ['passordet på kontoen er sommerfugl', 'passordet [redacted]'],
    ['the password link expired, my new password is sunshine', 'the password link expired, my new password [redacted]'],
    ['password' + ' ,'.repeat(20) + ' sunshine', 'password [redacted]'],
  ])('a password typed after a password word is masked: %j → %j', (text, expected) => {
    expect(redactText(text)).toBe(expected);
  });

  it.each<string>([
    'the password link says it expired',
    'the password link expired',
    "password page won't load",
    'passordlenken har gått ut, fikk ikke satt passord',
    'fikk ikke satt passord, lenken har gått ut',
    'glemt passordet',
    'passordet funker ikke på siden',
    'passordet mitt funker ikke',
    'I forgot my password. Can you help?',
    'jeg har glemt passordet. Kan du sende en ny lenke?',
    'the password reset email never came',
    "my password doesn't work on the portal",
  ])('talk about the password is kept: %j', (text) => {
    expect(redactText(text)).toBe(text);
    expect(transcriptText(text)).toBe(text);
  });

  it.each<[string, string]>([
    ['send it to kåre@blåbær.no please', 'send it to [email] please'],
    ['用户@例子.广告', '[email]'],
    ['e-post: ÆRLIG.ØSTBY@Bølgen.NO.', 'e-post: [email]'],
    ['<a href="mailto:ola@firma.no">ola@firma.no</a>', '<a [email]'],
    ['ola＠firma.no', '[email]'],
    ['ola%40firma.no', '[email]'],
    ['(ola.nordmann@', '[email]'],
  ])('an address in any script or form is masked: %j', (text, expected) => {
    expect(redactText(text)).toBe(expected);
  });

  it('masks link tokens and long random strings, keeps ordinary words and stack paths', () => {
    expect(redactText('open https://x.test/confirm?token=abc.def&lang=nb now')).toBe('open https://x.test/confirm?token=[redacted]&lang=nb now');
    expect(redactText('key AbCdEfGhIjKlMnOpQrStUvWxYz0123')).toBe('key [redacted]');
    expect(redactText('hjelp')).toBe('hjelp');
    expect(redactText('montører av ChargePoint-ladestasjoner')).toBe('montører av ChargePoint-ladestasjoner');
    expect(redactText('x ' + 'abcdefghij'.repeat(4))).toBe('x [redacted]');
    expect(redactText('59,9139 10,7522')).toBe('59,9139 10,7522');
    expect(redactText('at x (/app/node_modules/@keyv/sqlite/index.js:1:2)')).toBe('at x (/app/node_modules/@keyv/sqlite/index.js:1:2)');
  });

  it('a transcript line is cut short before a word, so no half address escapes', () => {
    const text = 'x '.repeat(MAX_TRANSCRIPT_CHARS / 2 - 5) + 'ola.nordmann.med.langt.navn@firma.no ' + 'y'.repeat(20_000);
    const line = transcriptText(text);
    expect(line).not.toContain('ola');
    expect(line).toMatch(/ \[\+\d+ characters\]$/);
    expect(line.length).toBeLessThanOrEqual(MAX_TRANSCRIPT_CHARS + 30);
    expect(transcriptText('a'.repeat(20_000))).toBe('[+20000 characters]');
  });

  it('an id from outside is bounded and redacted', () => {
    expect(loggableId('onboarding.passwordSet')).toBe('onboarding.passwordSet');
    expect(loggableId('kåre@blåbær.no')).toBe('[email]');
    expect(loggableId('e'.repeat(10_000))!.length).toBeLessThan(100);
    // an address across the cut at 80 characters leaves nothing of itself
    const cut = loggableId('ab '.repeat(25) + 'ola.nordmann@firma.no')!;
    expect(cut).toMatch(/^(ab ){25}\[emai\[\+2\]$/);
    expect(loggableId(undefined)).toBeUndefined();
  });
});

describe('LogActivitiesMiddleware', () => {
  const SECRETS = ['Hunter2-Hunter2', 'kåre', 'blåbær', '用户', '例子', 'Sommer2024', 'nordmann'];

  async function logsOf(transcripts: boolean, activities: Array<Partial<Activity>>): Promise<Array<Record<string, unknown>>> {
    const capture = new LogCapture();
    const logger = createLogger({ level: 'debug', destination: capture });
    const adapter = new TestAdapter(async (context) => {
      await context.sendActivity('Vi sendte e-post til kåre@blåbær.no');
    }).use(new LogActivitiesMiddleware(logger, transcripts));
    for (const activity of activities) await adapter.processActivity(activity);
    return capture.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  }

  const activities: Array<Partial<Activity>> = [
    { type: 'message', text: 'my password is Hunter2-Hunter2' },
    { type: 'message', text: 'passordet mitt er Sommer2024' },
    { type: 'message', text: 'e-post: 用户@例子.广告', attachments: [{ contentType: 'image/png', name: 'kåre@blåbær.no.png' }] },
    { type: 'event', name: 'ola.nordmann@firma.no', value: { password: 'Hunter2-Hunter2' } },
    { type: 'message', text: 'ola.nordmann@firma.no ' + 'x'.repeat(10 * 1024 * 1024) },
  ];

  it('with LOG_TRANSCRIPTS on, logs the texts redacted and bounded, and nothing else raw', async () => {
    const lines = await logsOf(true, activities);
    const raw = JSON.stringify(lines);
    for (const secret of SECRETS) expect(raw).not.toContain(secret);
    const transcripts = lines.map((l) => l.transcript);
    expect(transcripts).toEqual([
      'my password [redacted]',
      'Vi sendte e-post til [email]',
      'passordet [redacted]',
      'Vi sendte e-post til [email]',
      'e-post: [email]',
      'Vi sendte e-post til [email]',
      undefined,
      'Vi sendte e-post til [email]',
      `[email] [+${10 * 1024 * 1024 + 1} characters]`,
      'Vi sendte e-post til [email]',
    ]);
    expect(lines[4]).toMatchObject({ attachments: 1, contentTypes: ['image/png'] });
    expect(lines[6]).toMatchObject({ type: 'event', name: '[email]' });
    for (const line of lines) expect(JSON.stringify(line).length).toBeLessThan(2000);
  }, 60_000);

  it('with LOG_TRANSCRIPTS off, logs no text at all', async () => {
    const lines = await logsOf(false, activities);
    expect(lines.every((l) => !('transcript' in l))).toBe(true);
    const raw = JSON.stringify(lines);
    for (const secret of [...SECRETS, 'sendte', 'passordet']) expect(raw).not.toContain(secret);
  }, 60_000);
});

describe('a bare password typed into the chat, with LOG_TRANSCRIPTS on (the rule support transcripts use too)', () => {
  it.each<[string, string]>([
    ['Sommer2024!', '[redacted]'],
    ['Ladestasjon-Bergen-2026!', '[redacted]'],
    ['Hunter2 er passordet mitt', '[redacted] er passordet [redacted]'],
    ['my password is in the email', 'my password [redacted]'],
    ['jeg har glemt passordet', 'jeg har glemt passordet'],
    ['MAC 00:1A:2B:3C:4D:5E på stasjon 2', 'MAC 00:1A:2B:3C:4D:5E på stasjon 2'],
    ['serienummer 2135WS1234', 'serienummer 2135WS1234'],
  ])('%j is logged as %j', async (text, expected) => {
    const capture = new LogCapture();
    const adapter = new TestAdapter(async () => undefined).use(new LogActivitiesMiddleware(createLogger({ level: 'debug', destination: capture }), true));
    await adapter.processActivity({ type: 'message', text });
    expect(capture.lines.map((line) => (JSON.parse(line) as { transcript?: string }).transcript)).toEqual([expected]);
  });
});

describe('a failed turn in the log', () => {
  /** Runs one turn that throws `error` through the app's turn error handlers; returns the log lines. */
  async function logOfFailedTurn(error: Error): Promise<Array<{ level: number; msg: string; err?: { name?: string; message?: string; stack?: string } }>> {
    const capture = new LogCapture();
    const logger = createLogger({ level: 'debug', destination: capture });
    const phrases = new Phrases(await createTranslator());
    const adapter = new TestAdapter(async () => {
      throw error;
    });
    adapter.onTurnError = keepStateOnCoordinationErrors(createTurnErrorHandler(createBotStates(new MemoryStorage()), phrases, logger), phrases, logger);
    await adapter.processActivity({ type: 'message', text: 'hei', locale: 'nb-NO' });
    return capture.lines.map((line) => JSON.parse(line) as { level: number; msg: string });
  }

  it('an eTag conflict on an installer record: the log names the conflict, not the address in its key', async () => {
    const lines = await logOfFailedTurn(new EtagConflictError('installer/kåre@blåbær.no'));
    const raw = JSON.stringify(lines);
    for (const secret of ['kåre', 'blåbær', 'k\\u00e5re']) expect(raw).not.toContain(secret);
    expect(lines).toEqual([
      expect.objectContaining({ msg: 'turn not run: the conversation was busy elsewhere; state kept', err: expect.objectContaining({ name: 'EtagConflictError', message: 'Storage: eTag conflict writing [email]' }) }),
    ]);
  });

  it.each([
    ['a password a user typed', new Error('could not read the answer "Hunter2 er passordet mitt"'), ['Hunter2']],
    ['a password-like word', new Error('unexpected value Sommer2024! in step password'), ['Sommer2024']],
    ['an address and a link token', new TypeError('no installer kari.nordmann@firma.no for https://x.test/confirm?token=abc123secret'), ['kari', 'nordmann', 'abc123secret']],
  ])('an error whose message holds %s: the log says the turn failed and where, without it', async (_what, error, secrets) => {
    const lines = await logOfFailedTurn(error);
    const raw = JSON.stringify(lines);
    for (const secret of secrets) expect(raw).not.toContain(secret);
    const failed = lines.find((l) => l.msg === 'turn failed');
    expect(failed).toMatchObject({ level: 50, err: { name: error.name, message: expect.stringMatching(/^(could not read the answer|unexpected value|no installer)/) } });
    // where it failed: the stack's frames, this test file among them
    expect(failed?.err?.stack).toContain('redaction.test.ts');
  });

  it('errorSummary keeps what tells an operator what failed', () => {
    const error = Object.assign(new Error('Storage (redis) unavailable: connect ECONNREFUSED 127.0.0.1:6379'), { name: 'StoreUnavailableError' });
    expect(errorSummary(error)).toMatchObject({ name: 'StoreUnavailableError', message: 'Storage (redis) unavailable: connect ECONNREFUSED 127.0.0.1:6379' });
    expect(errorSummary('kåre@blåbær.no')).toEqual({ name: 'string' });
  });
});
