import { spawn } from 'node:child_process';
import path from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { addAgent, readAgentInput } from '../../scripts/agent-add';
import { AgentAccounts } from '../../src/services/support/agentAccounts';
import { AGENT_SESSION_TTL_MS, AgentSessions } from '../../src/services/support/agentSessions';
import type { DocumentStore } from '../../src/services/store/documentStore';
import { openDocumentStore } from '../../src/services/store/keyvDocumentStore';
import { tempDir } from '../helpers/appHarness';
import { AVAILABLE_BACKENDS } from '../helpers/backends';
import { dumpStore } from '../helpers/storeDump';

const PASSWORD = 'Montør-hjelp-2026!';

function collect(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  return {
    stream: new Writable({
      write(chunk: Buffer, _encoding, done) {
        chunks.push(chunk.toString('utf8'));
        done();
      },
    }),
    text: () => chunks.join(''),
  };
}

describe('npm run agent:add (scripts/agent-add.ts)', () => {
  let store: DocumentStore;
  const dataUrl = `sqlite://${tempDir()}/store.sqlite`;

  beforeAll(async () => {
    store = await openDocumentStore(dataUrl);
  });
  afterAll(async () => {
    await store.close();
  });

  it('reads email, first name and password piped on stdin (three lines)', async () => {
    const input = new PassThrough();
    const output = collect();
    input.end(`kari.support@ladefirma.no\nKari\n${PASSWORD}\n`);
    expect(await readAgentInput(input, output.stream)).toEqual({ email: 'kari.support@ladefirma.no', firstName: 'Kari', password: PASSWORD });
    expect(output.text()).not.toContain(PASSWORD);
  });

  it('on a terminal: asks, never echoes the password, asks it twice and refuses two different ones', async () => {
    const typed = (lines: string[]) => {
      const input = Object.assign(new PassThrough(), { isTTY: true });
      const output = collect();
      const answers = readAgentInput(input, output.stream);
      for (const line of lines) input.write(`${line}\r`);
      return { answers, output };
    };
    const same = typed(['kari.support@ladefirma.no', 'Kari', PASSWORD, PASSWORD]);
    expect(await same.answers).toEqual({ email: 'kari.support@ladefirma.no', firstName: 'Kari', password: PASSWORD });
    expect(same.output.text()).toContain('Email address: ');
    expect(same.output.text()).toContain('kari.support@ladefirma.no'); // echoed as typed
    expect(same.output.text()).toContain('Password again: ');
    expect(same.output.text()).not.toContain(PASSWORD);
    const differ = typed(['kari.support@ladefirma.no', 'Kari', PASSWORD, 'something else']);
    await expect(differ.answers).rejects.toThrow('the two passwords differ');
  });

  it('creates a working account: the password verifies, stored only as a scrypt hash; a rerun updates it', async () => {
    const created = await addAgent(store, { email: 'Kari.Support@Ladefirma.no', firstName: 'Kari', password: PASSWORD });
    expect(created.result.kind).toBe('created');
    expect(created.message).toBe('agent:add: created the account of Kari; sign in at /agent');
    const accounts = new AgentAccounts(store);
    const agent = await accounts.verify('kari.support@ladefirma.no', PASSWORD);
    expect(agent).toEqual({ id: expect.any(String), firstName: 'Kari' });
    expect(await accounts.verify('kari.support@ladefirma.no', 'Montør-hjelp-2025!')).toBeUndefined();
    expect(await accounts.verify('kari@ladefirma.no', PASSWORD)).toBeUndefined();
    const dump = await dumpStore(dataUrl);
    expect(dump).not.toContain(PASSWORD);
    expect(dump).not.toContain('hjelp-2026');
    expect(dump).toMatch(/scrypt\$16384\$8\$1\$/);

    const updated = await addAgent(store, { email: 'kari.support@ladefirma.no', firstName: 'Kari Anne', password: 'Another-long-password-1' });
    expect(updated.result).toEqual({ kind: 'updated', agent: { id: agent!.id, firstName: 'Kari Anne' } });
    expect(await accounts.verify('kari.support@ladefirma.no', PASSWORD)).toBeUndefined();
    expect(await accounts.verify('kari.support@ladefirma.no', 'Another-long-password-1')).toEqual({ id: agent!.id, firstName: 'Kari Anne' });
  });

  it.each([
    ['a bad email', { email: 'not an email', firstName: 'Ola', password: PASSWORD }, 'that is not a valid email address'],
    ['an empty first name', { email: 'ola@ladefirma.no', firstName: '  ', password: PASSWORD }, 'the first name is empty or too long'],
    ['a short password', { email: 'ola@ladefirma.no', firstName: 'Ola', password: 'short-1' }, 'the password must have at least 12 characters'],
  ])('refuses %s and saves nothing', async (_case, input, why) => {
    const { result, message } = await addAgent(store, input);
    expect(result.kind).toBe('invalid');
    expect(message).toBe(`agent:add: not saved: ${why}`);
    expect(await new AgentAccounts(store).verify('ola@ladefirma.no', input.password)).toBeUndefined();
  });
});

/** Runs scripts/agent-add.ts as `npm run agent:add` runs it (its main, config from the environment), stdin piped. */
function runAgentAdd(env: Record<string, string>, stdin: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const root = path.resolve(__dirname, '../..');
  const child = spawn(process.execPath, [require.resolve('ts-node/dist/bin-transpile.js'), path.join(root, 'scripts/agent-add.ts')], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  child.stdin.end(stdin);
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

describe('the agent:add command itself', () => {
  it('saves the account in the store DATA_URL names (exit 0), and refuses bad input with exit 1, saving nothing', async () => {
    const dataDir = tempDir();
    const env = { DATA_DIR: dataDir, DATA_URL: `sqlite://${dataDir}/store.sqlite`, LOG_LEVEL: 'silent' };
    const ok = await runAgentAdd(env, `per.support@ladefirma.no\nPer\n${PASSWORD}\n`);
    expect(ok.stderr).toBe('');
    expect(ok.stdout).toContain('agent:add: created the account of Per; sign in at /agent');
    expect(ok.stdout).not.toContain(PASSWORD);
    expect(ok.code).toBe(0);
    const bad = await runAgentAdd(env, `ola@ladefirma.no\nOla\nshort-1\n`);
    expect(bad.stdout).toContain('agent:add: not saved: the password must have at least 12 characters');
    expect(bad.code).toBe(1);

    const store = await openDocumentStore(env.DATA_URL);
    try {
      expect(await new AgentAccounts(store).verify('per.support@ladefirma.no', PASSWORD)).toEqual({ id: expect.any(String), firstName: 'Per' });
      expect(await new AgentAccounts(store).verify('ola@ladefirma.no', 'short-1')).toBeUndefined();
    } finally {
      await store.close();
    }
  }, 60_000);
});

describe.each(AVAILABLE_BACKENDS)('agent accounts and console sessions on $name (shared by instances)', ({ url }) => {
  let first: DocumentStore;
  let second: DocumentStore;

  beforeAll(async () => {
    first = await openDocumentStore(url);
    second = await openDocumentStore(url);
  });
  afterAll(async () => {
    await first?.close();
    await second?.close();
  });

  it('an account added through one instance signs in on the other; a session of one is known to the other until it ends', async () => {
    const email = `agent.${process.pid}.${Date.now()}@ladefirma.no`;
    expect((await addAgent(first, { email, firstName: 'Kari', password: PASSWORD })).result.kind).toBe('created');
    const agent = await new AgentAccounts(second).verify(email, PASSWORD);
    expect(agent?.firstName).toBe('Kari');

    let now = Date.now();
    const sessionsOne = new AgentSessions(first, () => now);
    const sessionsTwo = new AgentSessions(second, () => now);
    const { id, session } = await sessionsOne.create(agent!, 'nb');
    expect(await sessionsTwo.get(id)).toEqual(session);
    await sessionsTwo.setLanguage(id, 'en');
    expect((await sessionsOne.get(id))?.language).toBe('en');
    now += AGENT_SESSION_TTL_MS + 1000;
    expect(await sessionsOne.get(id)).toBeUndefined(); // expired, whatever the store still holds
    now -= AGENT_SESSION_TTL_MS + 1000;
    await sessionsOne.delete(id);
    expect(await sessionsTwo.get(id)).toBeUndefined();
  });
});
