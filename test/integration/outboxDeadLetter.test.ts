import path from 'node:path';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { createTranslator } from '../../src/services/i18n/translator';
import { createMailer } from '../../src/services/mail/createMailer';
import { DEAD_INDEX_KEY, OUTBOX_INDEX_KEY, outboxKey, type OutboxRecord } from '../../src/services/mail/outbox';
import { openDocumentStore } from '../../src/services/store/keyvDocumentStore';
import { deadLetterReport } from '../../scripts/outbox-dead';
import { LogCapture, tempDir } from '../helpers/appHarness';
import { refusingSmtp } from '../helpers/testSmtpServer';

describe('outbox dead letters', () => {
  it('gives a permanently refused message up after the attempt cap, backing off between attempts, and shows it to the operator', async () => {
    const smtp = await refusingSmtp();
    const dataDir = tempDir('outbox-dead-');
    const store = await openDocumentStore(`sqlite://${path.join(dataDir, 'db.sqlite')}`);
    const logs = new LogCapture();
    let clock = Date.UTC(2026, 10, 24, 8, 0, 0);
    const mailer = createMailer({
      config: loadConfig({ DATA_DIR: dataDir, SMTP_URL: smtp.url }),
      store,
      translator: await createTranslator(),
      logger: createLogger({ level: 'debug', destination: logs }),
      now: () => clock,
      retry: { baseMs: 1_000, maxMs: 60_000 },
      maxAttempts: 4,
    });
    try {
      const id = await mailer.enqueue({ to: 'kari.nordmann@firma.example', template: 'confirmation', language: 'nb', vars: { confirmUrl: 'https://assistant.example/confirm?token=deadtoken7f3a' } });
      const record = async () => (await store.get<OutboxRecord>(outboxKey(id)))?.value;
      const waits: number[] = [];
      for (let attempt = 1; attempt <= 4; attempt++) {
        await mailer.flush();
        expect(smtp.attempts()).toBe(attempt);
        const current = await record();
        if (attempt === 4) break;
        expect(current).toMatchObject({ status: 'pending', attempts: attempt });
        const wait = current!.nextAttemptAt - clock;
        waits.push(wait);
        // not before its time
        clock += wait - 1;
        await mailer.flush();
        expect(smtp.attempts()).toBe(attempt);
        clock += 1;
      }
      // exponential: about 1 s, 2 s, 4 s (less up to 10 % jitter)
      expect(waits.map((w) => Math.round(w / 1000))).toEqual([1, 2, 4]);
      expect(waits[0]!).toBeGreaterThanOrEqual(900);

      const dead = await record();
      expect(dead).toMatchObject({ status: 'dead', attempts: 4, deadAt: clock });
      expect(dead?.lastError).toContain('550');
      expect(await store.setMembers(OUTBOX_INDEX_KEY)).not.toContain(id);
      expect(await store.setMembers(DEAD_INDEX_KEY)).toContain(id);

      // no more attempts, however long we wait
      clock += 24 * 60 * 60 * 1000;
      await mailer.flush();
      expect(smtp.attempts()).toBe(4);

      // the operator: one error line, and the command's list (address masked)
      const errors = logs.lines.map((line) => JSON.parse(line) as { level: number; msg: string; outboxId?: string }).filter((l) => l.level >= 50);
      expect(errors).toEqual([expect.objectContaining({ outboxId: id, msg: expect.stringContaining('given up') })]);
      const report = await deadLetterReport(store);
      expect(report).toContain('1 dead letter');
      expect(report).toContain(id);
      expect(report).toContain('k…@firma.example');
      expect(report).toContain('attempts=4');
      for (const text of [logs.text, report]) {
        expect(text).not.toContain('kari.nordmann');
        expect(text).not.toContain('deadtoken7f3a');
      }

      // "delete my data" drops the dead letter too: it holds the address
      expect(await mailer.forget('Kari.Nordmann@firma.example')).toBe(1);
      expect(await record()).toBeUndefined();
      expect(await store.setMembers(DEAD_INDEX_KEY)).not.toContain(id);
      expect(await deadLetterReport(store)).toBe('outbox: no dead letters');
    } finally {
      await mailer.stop();
      await store.close();
      await smtp.close();
    }
  });

  it('the operator command says so when nothing is dead', async () => {
    const store = await openDocumentStore(`sqlite://${path.join(tempDir('outbox-dead-'), 'db.sqlite')}`);
    try {
      expect(await deadLetterReport(store)).toBe('outbox: no dead letters');
    } finally {
      await store.close();
    }
  });
});
