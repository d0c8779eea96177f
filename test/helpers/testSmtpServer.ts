import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';

/** A real SMTP server on 127.0.0.1 that keeps every raw message it accepts. */
export class TestSmtpServer {
  readonly raw: Buffer[] = [];
  private server: SMTPServer | undefined;
  port = 0;

  constructor(private readonly delayMs = 0) {}

  listen(port = 0): Promise<number> {
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData: (stream, _session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          setTimeout(() => {
            this.raw.push(Buffer.concat(chunks));
            callback();
          }, this.delayMs);
        });
      },
    });
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        this.port = (server.server.address() as AddressInfo).port;
        resolve(this.port);
      });
    });
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  parsed(): Promise<ParsedMail[]> {
    return Promise.all(this.raw.map((raw) => simpleParser(raw)));
  }

  /** Waits for the n-th message (1-based) and returns it parsed. */
  async message(n: number, timeoutMs = 15_000): Promise<ParsedMail> {
    await waitUntil(() => this.raw.length >= n, `email #${n}`, timeoutMs);
    return simpleParser(this.raw[n - 1]!);
  }

  /** Waits for a message with this subject (in whatever order the mails came) and returns it parsed. */
  async withSubject(subject: string, timeoutMs = 15_000): Promise<ParsedMail> {
    let found: ParsedMail | undefined;
    await waitUntil(async () => {
      found = (await this.parsed()).find((mail) => mail.subject === subject);
      return found !== undefined;
    }, `an email "${subject}"`, timeoutMs);
    return found!;
  }

  close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    return new Promise((resolve) => (server ? server.close(() => resolve()) : resolve()));
  }
}

export async function waitUntil(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** An SMTP server that refuses every recipient for good (550), counting the attempts. */
export async function refusingSmtp(): Promise<{ url: string; attempts: () => number; close: () => Promise<void> }> {
  let attempts = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onMailFrom: (_address, _session, callback) => {
      attempts += 1;
      callback();
    },
    onRcptTo: (_address, _session, callback) => callback(Object.assign(new Error('mailbox unavailable'), { responseCode: 550 })),
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return { url: `smtp://127.0.0.1:${port}`, attempts: () => attempts, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
