import { localeText } from '../helpers/localeText';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import restify from 'restify';
import { simpleParser, type AddressObject } from 'mailparser';
import { loadConfig, type Config } from '../../src/config';
import { createLogger, type Logger } from '../../src/logger';
import { createTranslator, type Translator } from '../../src/services/i18n/translator';
import { createMailer, type MailerDeps } from '../../src/services/mail/createMailer';
import type { Mailer, OutgoingMail } from '../../src/services/mail/mailer';
import { claim, DEFAULT_LEASE_MS, OUTBOX_INDEX_KEY, outboxKey, type OutboxRecord } from '../../src/services/mail/outbox';
import type { DocumentStore } from '../../src/services/store/documentStore';
import { openDocumentStore } from '../../src/services/store/keyvDocumentStore';
import { registerDevMailbox } from '../../src/web/devMailbox';
import { freePort, LogCapture, tempDir } from '../helpers/appHarness';
import { countingWrites } from '../helpers/countingStore';
import { TestSmtpServer, waitUntil } from '../helpers/testSmtpServer';

const FROM_ADDRESS = 'assistant@onboarding.example';
const SUPPORT_ADDRESS = 'support@onboarding.example';
const FAST_RETRY = { baseMs: 40, maxMs: 200 };


const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function firstAddress(value: AddressObject | AddressObject[] | undefined): string | undefined {
  const object = Array.isArray(value) ? value[0] : value;
  return object?.value[0]?.address;
}

function confirmation(to: string, language: OutgoingMail['language'], token: string): OutgoingMail {
  return { to, template: 'confirmation', language, vars: { confirmUrl: `https://assistant.example/confirm?token=${token}` } };
}

let translator: Translator;
const stores: DocumentStore[] = [];
const mailers: Mailer[] = [];
const smtpServers: TestSmtpServer[] = [];

beforeAll(async () => {
  translator = await createTranslator();
});

afterEach(async () => {
  await Promise.all(mailers.splice(0).map((m) => m.stop()));
  await Promise.all(smtpServers.splice(0).map((s) => s.close()));
});

afterAll(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
});

async function openStore(file: string): Promise<DocumentStore> {
  const store = await openDocumentStore(`sqlite://${file}`);
  stores.push(store);
  return store;
}

function startSmtp(delayMs = 0): TestSmtpServer {
  const server = new TestSmtpServer(delayMs);
  smtpServers.push(server);
  return server;
}

interface Setup {
  config: Config;
  logs: LogCapture;
  logger: Logger;
}

function setup(env: Record<string, string>, dataDir = tempDir('mail-outbox-')): Setup {
  const config = loadConfig({ DATA_DIR: dataDir, MAIL_FROM: `Installer assistant <${FROM_ADDRESS}>`, SUPPORT_EMAIL: SUPPORT_ADDRESS, ...env });
  const logs = new LogCapture();
  return { config, logs, logger: createLogger({ level: 'debug', destination: logs }) };
}

function mailer(s: Setup, store: DocumentStore, extra: Partial<MailerDeps> = {}): Mailer {
  const m = createMailer({ config: s.config, store, translator, logger: s.logger, retry: FAST_RETRY, ...extra });
  mailers.push(m);
  return m;
}

/** Logs must never carry an address or a link token. */
function expectCleanLogs(logs: LogCapture, secrets: string[]): void {
  expect(logs.lines.length).toBeGreaterThan(0);
  for (const secret of secrets) expect(logs.text).not.toContain(secret);
}

async function record(store: DocumentStore, id: string): Promise<OutboxRecord | undefined> {
  return (await store.get<OutboxRecord>(outboxKey(id)))?.value;
}

describe('mail outbox over real SMTP', () => {
  it('delivers a confirmation once, in Norwegian and in English', async () => {
    const smtp = startSmtp();
    await smtp.listen();
    const s = setup({ SMTP_URL: smtp.url });
    const dir = s.config.DATA_DIR;
    const store = await openStore(path.join(dir, 'db.sqlite'));
    const m = mailer(s, store);
    m.start();

    const nbId = await m.enqueue(confirmation('kari.nordmann@example.no', 'nb', 'nbtoken7f3a9c'));
    const enId = await m.enqueue(confirmation('jane.doe@example.com', 'en', 'entoken42b1d8'));
    await waitUntil(() => smtp.raw.length >= 2, 'two messages');
    await m.flush();
    await sleep(150);
    const mails = await smtp.parsed();
    expect(mails).toHaveLength(2);

    const byRecipient = new Map(mails.map((mail) => [firstAddress(mail.to), mail]));
    const nb = byRecipient.get('kari.nordmann@example.no');
    const en = byRecipient.get('jane.doe@example.com');
    expect(nb?.subject).toBe(localeText('nb', 'email:confirmation.subject'));
    expect(nb?.text).toMatch(/søppelpost/);
    expect(nb?.text).toContain('https://assistant.example/confirm?token=nbtoken7f3a9c');
    expect(nb?.html).toContain('lang="nb"');
    expect(nb?.html).toContain('href="https://assistant.example/confirm?token=nbtoken7f3a9c"');
    expect(en?.subject).toBe(localeText('en', 'email:confirmation.subject'));
    expect(en?.text).toMatch(/spam folder/);
    expect(en?.text).toContain('https://assistant.example/confirm?token=entoken42b1d8');
    expect(en?.html).toContain('lang="en"');
    expect(en?.text).not.toContain('nbtoken7f3a9c');
    // the sender's name in the installer's language; every paragraph arrives whole (no word broken
    // in the middle by line wrapping), and in the HTML only the bare link may break anywhere
    for (const [mail, language] of [[nb, 'nb'], [en, 'en']] as const) {
      expect(mail?.from?.value[0]?.name).toBe(localeText(language, 'email:layout.senderName'));
      for (const key of ['email:confirmation.intro', 'email:confirmation.spam', 'email:layout.automated']) expect(mail?.text).toContain(localeText(language, key));
      expect(mail?.text).not.toMatch(/\p{L}-\n\p{L}|=\r?\n/u);
      expect([...(mail?.html || '').matchAll(/<(\w+)[^>]*word-break:break-all[^>]*>/g)].map((m) => m[1])).toEqual(['a']);
    }
    for (const mail of [nb, en]) {
      expect(firstAddress(mail?.from)).toBe(FROM_ADDRESS);
      expect(firstAddress(mail?.replyTo)).toBe(SUPPORT_ADDRESS);
      expect(mail?.text).not.toContain('guest-help-na-station-issues');
    }
    // no region given: Europe's support page in the mail's language
    expect(nb?.text).toContain('https://www.chargepoint.com/no-no/support');
    expect(en?.text).toContain('https://www.chargepoint.com/en-gb/support');
    expect(nb?.messageId).toBe(`<${nbId}@onboarding.example>`);
    expect(en?.messageId).toBe(`<${enId}@onboarding.example>`);

    // Sent records keep no address or link, and the index is empty.
    const sent = await record(store, nbId);
    expect(sent?.status).toBe('sent');
    expect(JSON.stringify(sent)).not.toContain('kari.nordmann');
    expect(JSON.stringify(sent)).not.toContain('nbtoken7f3a9c');
    expect(await store.setMembers(OUTBOX_INDEX_KEY)).toEqual([]);
    expectCleanLogs(s.logs, ['kari.nordmann', 'jane.doe', 'nbtoken7f3a9c', 'entoken42b1d8']);
  });

  it('retries while the SMTP server is down and delivers once it is up', async () => {
    const port = await freePort();
    const s = setup({ SMTP_URL: `smtp://127.0.0.1:${port}` });
    const store = await openStore(path.join(s.config.DATA_DIR, 'db.sqlite'));
    const m = mailer(s, store);
    m.start();

    const started = Date.now();
    const id = await m.enqueue(confirmation('ola.hansen@example.no', 'nb', 'downtoken9d2e'));
    expect(Date.now() - started).toBeLessThan(2000); // enqueue never waits for SMTP
    const failures = () => s.logs.lines.filter((line) => line.includes('mail delivery failed')).length;
    await waitUntil(() => failures() >= 3, 'three failed attempts');
    expect((await record(store, id))?.status).not.toBe('sent');

    const smtp = startSmtp();
    await smtp.listen(port);
    await waitUntil(() => smtp.raw.length >= 1, 'delivery after the server came up');
    await sleep(300);
    await m.flush();
    expect(smtp.raw).toHaveLength(1);
    const [mail] = await smtp.parsed();
    expect(mail?.messageId).toBe(`<${id}@onboarding.example>`);
    const sent = await record(store, id);
    expect(sent?.status).toBe('sent');
    expect(sent?.attempts).toBeGreaterThanOrEqual(4);
    expect(s.logs.text).toContain(id);
    expectCleanLogs(s.logs, ['ola.hansen', 'downtoken9d2e']);
  });

  it('delivers after a restart what the previous run left pending, once', async () => {
    const port = await freePort();
    const dir = tempDir('mail-restart-');
    const file = path.join(dir, 'db.sqlite');
    const first = setup({ SMTP_URL: `smtp://127.0.0.1:${port}` }, dir);
    const store1 = await openDocumentStore(`sqlite://${file}`);
    const before = mailer(first, store1);
    before.start();
    const id = await before.enqueue(confirmation('per.olsen@example.no', 'nb', 'restarttoken5c'));
    await before.flush(); // fails: nothing listens
    await before.stop();
    await store1.close();

    const smtp = startSmtp();
    await smtp.listen(port);
    await sleep(100);
    expect(smtp.raw).toHaveLength(0);

    const second = setup({ SMTP_URL: smtp.url }, dir);
    const store2 = await openStore(file);
    const after = mailer(second, store2);
    after.start();
    await waitUntil(() => smtp.raw.length >= 1, 'delivery after restart');
    await after.flush();
    await sleep(150);
    expect(smtp.raw).toHaveLength(1);
    const [mail] = await smtp.parsed();
    expect(firstAddress(mail?.to)).toBe('per.olsen@example.no');
    expect(mail?.messageId).toBe(`<${id}@onboarding.example>`);
    expect((await record(store2, id))?.status).toBe('sent');
    expectCleanLogs(first.logs, ['per.olsen', 'restarttoken5c']);
    expectCleanLogs(second.logs, ['per.olsen', 'restarttoken5c']);
  });

  it('leaves a message another process is sending alone until its lease runs out', async () => {
    const smtp = startSmtp();
    await smtp.listen();
    const s = setup({ SMTP_URL: smtp.url });
    const store = await openStore(path.join(s.config.DATA_DIR, 'db.sqlite'));
    const m = mailer(s, store);
    const id = await m.enqueue(confirmation('lise.berg@example.no', 'en', 'leasetoken1'));
    // A process claims the message and dies before the server answers.
    expect((await claim(store, id, Date.now())).kind).toBe('claimed');

    await m.flush();
    expect(smtp.raw).toHaveLength(0);
    expect((await record(store, id))?.status).toBe('sending');

    const later = mailer(s, store, { now: () => Date.now() + DEFAULT_LEASE_MS + 1000 });
    await later.flush();
    await later.flush();
    expect(smtp.raw).toHaveLength(1);
    const [mail] = await smtp.parsed();
    expect(mail?.messageId).toBe(`<${id}@onboarding.example>`);
  });

  it('a message forgotten while it is being handed to the server ("delete my data", a corrected address) is not tried again when that attempt fails', async () => {
    const s = setup({});
    const store = await openStore(path.join(s.config.DATA_DIR, 'db.sqlite'));
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let attempts = 0;
    const m = mailer(s, store, {
      transport: {
        kind: 'smtp',
        send: async () => {
          attempts += 1;
          await gate;
          throw new Error('421 try again later');
        },
      },
    });
    const address = 'feil.adresse@example.no';
    const id = await m.enqueue(confirmation(address, 'nb', 'forgottentoken1'));
    const sending = m.flush();
    await waitUntil(() => attempts === 1, 'the attempt has started');
    expect((await record(store, id))?.status).toBe('sending');

    expect(await m.forget(address)).toBe(1);
    expect(JSON.stringify(await record(store, id))).not.toContain(address);
    release();
    await sending;
    await sleep(2 * FAST_RETRY.maxMs);
    await m.flush();
    await m.flush();
    expect(attempts).toBe(1);
    expect(JSON.stringify(await store.get(outboxKey(id)))).not.toContain(address);
    expect((await store.setMembers(OUTBOX_INDEX_KEY)).includes(id)).toBe(false);
  });

  it('two processes on one store deliver each message once', async () => {
    const smtp = startSmtp(25);
    await smtp.listen();
    const s = setup({ SMTP_URL: smtp.url });
    const file = path.join(s.config.DATA_DIR, 'db.sqlite');
    const a = mailer(s, await openStore(file));
    const b = mailer(s, await openStore(file));

    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push(await a.enqueue(confirmation(`installer${i}@example.no`, i % 2 ? 'en' : 'nb', `pairtoken${i}`)));
    await Promise.all([a.flush(), b.flush(), a.flush(), b.flush()]);
    await sleep(150);

    const messageIds = (await smtp.parsed()).map((mail) => mail.messageId);
    expect(messageIds.sort()).toEqual(ids.map((id) => `<${id}@onboarding.example>`).sort());
  });
});

describe('the outbox index under load, and after an upgrade', () => {
  it('100 messages enqueued at once on one store are all listed, with no write to an index document, and each is delivered once', async () => {
    const smtp = startSmtp();
    await smtp.listen();
    const s = setup({ SMTP_URL: smtp.url });
    const file = path.join(s.config.DATA_DIR, 'db.sqlite');
    const shared = await openStore(file);
    const { store, writesTo } = countingWrites(shared);
    const m = mailer(s, store);

    const ids = await Promise.all(Array.from({ length: 100 }, (_, i) => m.enqueue(confirmation(`busy${i}@example.no`, i % 2 ? 'en' : 'nb', `busytoken${i}`))));
    // the index is a set: listing a message is no read-modify-write of a shared document, so nothing retried
    expect(writesTo(OUTBOX_INDEX_KEY)).toBe(0);
    expect([...(await shared.setMembers(OUTBOX_INDEX_KEY))].sort()).toEqual([...ids].sort());

    // two processes deliver them
    const other = mailer(s, await openStore(file));
    await Promise.all([m.flush(), other.flush()]);
    await waitUntil(() => smtp.raw.length >= 100, 'a hundred messages', 30_000);
    await sleep(150);
    const messageIds = (await smtp.parsed()).map((mail) => mail.messageId);
    expect(messageIds.sort()).toEqual(ids.map((id) => `<${id}@onboarding.example>`).sort());
    expect(await shared.setMembers(OUTBOX_INDEX_KEY)).toEqual([]);
    expect(writesTo(OUTBOX_INDEX_KEY)).toBe(0);
  }, 60_000);

  it('delivers once what an earlier version listed in its one-document index, and that document goes', async () => {
    const smtp = startSmtp();
    await smtp.listen();
    const s = setup({ SMTP_URL: smtp.url });
    const file = path.join(s.config.DATA_DIR, 'db.sqlite');
    const store = await openStore(file);
    // the store as the earlier version left it: pending messages, listed in the `outbox/index` document
    const ids = ['legacy-1', 'legacy-2', 'legacy-3'];
    const at = Date.now();
    for (const [i, id] of ids.entries()) {
      const queued: OutboxRecord = {
        id,
        template: 'confirmation',
        language: 'nb',
        mail: confirmation(`upgrade${i}@example.no`, 'nb', `upgradetoken${i}`),
        status: 'pending',
        attempts: 0,
        nextAttemptAt: at,
        createdAt: at,
        messageId: `<${id}@onboarding.example>`,
      };
      await store.create(outboxKey(id), queued);
    }
    await store.put(OUTBOX_INDEX_KEY, ids);
    // one message enqueued by the new version meanwhile
    const a = mailer(s, store);
    const fresh = await a.enqueue(confirmation('upgrade-new@example.no', 'en', 'upgradetokennew'));

    const b = mailer(s, await openStore(file));
    await Promise.all([a.flush(), b.flush()]);
    await waitUntil(() => smtp.raw.length >= 4, 'four messages');
    await sleep(150);
    const messageIds = (await smtp.parsed()).map((mail) => mail.messageId);
    expect(messageIds.sort()).toEqual([...ids, fresh].map((id) => `<${id}@onboarding.example>`).sort());
    for (const id of ids) expect((await record(store, id))?.status).toBe('sent');
    expect(await store.setMembers(OUTBOX_INDEX_KEY)).toEqual([]);
    expect((await store.get<string[]>(OUTBOX_INDEX_KEY))?.value ?? []).toEqual([]);
  });
});

describe('local mailbox (no SMTP_URL)', () => {
  it('writes .eml files that /dev/mail lists and shows, and refuses paths outside the mailbox', async () => {
    const s = setup({});
    expect(s.config.SMTP_URL).toBeUndefined();
    const store = await openStore(path.join(s.config.DATA_DIR, 'db.sqlite'));
    const m = mailer(s, store);
    const confirmUrl = 'https://assistant.example/confirm?token=mailboxtoken3e';
    await m.enqueue({ to: 'siri.dahl@example.no', template: 'confirmation', language: 'en', vars: { confirmUrl } });
    await m.flush();

    const mailDir = path.join(s.config.DATA_DIR, 'mail');
    const files = fs.readdirSync(mailDir);
    expect(files).toHaveLength(1);
    const [file = ''] = files;
    expect(file).toMatch(/^\d{4}-\d\d-\d\dT[\d-]+Z-[0-9a-f-]+\.eml$/);
    const parsed = await simpleParser(fs.readFileSync(path.join(mailDir, file)));
    expect(parsed.text).toContain(confirmUrl);
    fs.writeFileSync(path.join(s.config.DATA_DIR, 'outside.eml'), 'Subject: not yours\r\n\r\nsecret\r\n');

    const server = restify.createServer();
    registerDevMailbox(server, { config: s.config, translator });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const list = await fetch(`${base}/dev/mail?lang=en`);
      expect(list.status).toBe(200);
      expect(list.headers.get('content-type')).toMatch(/text\/html/);
      const listHtml = await list.text();
      expect(listHtml).toContain('siri.dahl@example.no');
      expect(listHtml).toContain('Confirm your ChargePoint University account');
      expect(listHtml).toContain(`href="/dev/mail/${file}?lang=en"`);

      const nbList = await (await fetch(`${base}/dev/mail`, { headers: { 'accept-language': 'nb-NO,nb;q=0.9' } })).text();
      expect(nbList).toContain('<html lang="nb">');

      const show = await fetch(`${base}/dev/mail/${file}`);
      expect(show.status).toBe(200);
      const showHtml = await show.text();
      expect(showHtml).toContain(`<a href="${confirmUrl}">${confirmUrl}</a>`);
      expect(showHtml).toContain('<pre>');

      for (const bad of ['..%2Foutside.eml', '..%2Fetc', '..%2F..%2Fetc%2Fpasswd', '%2Fetc%2Fpasswd', 'missing.eml']) {
        const response = await fetch(`${base}/dev/mail/${bad}`);
        expect({ bad, status: response.status }).toEqual({ bad, status: 404 });
        expect(await response.text()).not.toContain('secret');
      }
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    expectCleanLogs(s.logs, ['siri.dahl', 'mailboxtoken3e']);
  });
});
