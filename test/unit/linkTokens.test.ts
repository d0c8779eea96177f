import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { openDocumentStore } from '../../src/services/store/keyvDocumentStore';
import type { DocumentStore } from '../../src/services/store/documentStore';
import { createLinkTokens, forgetLinkTokens, linkTokenKeys } from '../../src/services/tokens/hmacLinkTokens';
import { CONFIRM_LINK_TTL_MS, PASSWORD_LINK_TTL_MS, type LinkTokens } from '../../src/services/tokens/linkTokens';
import { loadTokenSecret, TOKEN_SECRET_FILE } from '../../src/services/tokens/tokenSecret';

function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

const INSTALLER = 'ola.nordmann@example.no';

/** Swaps one base64url character for another (keeps the token well-formed, changes its content). */
function flipChar(value: string, index: number): string {
  const c = value[index];
  return value.slice(0, index) + (c === 'A' ? 'B' : 'A') + value.slice(index + 1);
}

describe('HMAC link tokens over a SQLite store', () => {
  let dir: string;
  let store: DocumentStore;
  let clock: number;
  let tokens: LinkTokens;
  const secret = randomBytes(48);

  beforeAll(async () => {
    dir = tempDir('link-tokens-');
    store = await openDocumentStore('sqlite://' + path.join(dir, 'store.sqlite'));
  });
  afterAll(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    clock = Date.parse('2026-03-01T08:00:00Z');
    tokens = createLinkTokens(store, secret, () => clock);
  });

  it('issues a token that checks ok (repeatedly) and redeems once', async () => {
    const token = await tokens.issue('password', INSTALLER, PASSWORD_LINK_TTL_MS);
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(await tokens.check(token, 'password')).toEqual({ ok: true, installerId: INSTALLER });
    expect(await tokens.check(token, 'password')).toEqual({ ok: true, installerId: INSTALLER });
    expect(await tokens.redeem(token, 'password')).toEqual({ ok: true, installerId: INSTALLER });
  });

  it('answers used for a second redeem and for a check after the redeem', async () => {
    const token = await tokens.issue('confirm', INSTALLER, CONFIRM_LINK_TTL_MS);
    expect((await tokens.redeem(token, 'confirm')).ok).toBe(true);
    expect(await tokens.redeem(token, 'confirm')).toEqual({ ok: false, reason: 'used' });
    expect(await tokens.check(token, 'confirm')).toEqual({ ok: false, reason: 'used' });
  });

  it('answers expired once the time to live has passed (and not a millisecond before)', async () => {
    const token = await tokens.issue('password', INSTALLER, PASSWORD_LINK_TTL_MS);
    clock += PASSWORD_LINK_TTL_MS - 1;
    expect((await tokens.check(token, 'password')).ok).toBe(true);
    clock += 1;
    expect(await tokens.check(token, 'password')).toEqual({ ok: false, reason: 'expired' });
    expect(await tokens.redeem(token, 'password')).toEqual({ ok: false, reason: 'expired' });
  });

  it('answers wrong_purpose for a token of the other purpose', async () => {
    const confirm = await tokens.issue('confirm', INSTALLER, CONFIRM_LINK_TTL_MS);
    expect(await tokens.check(confirm, 'password')).toEqual({ ok: false, reason: 'wrong_purpose' });
    expect(await tokens.redeem(confirm, 'password')).toEqual({ ok: false, reason: 'wrong_purpose' });
    // Not used up by the wrong page.
    expect((await tokens.redeem(confirm, 'confirm')).ok).toBe(true);
  });

  it('is opaque: nothing of the installer, the purpose or the expiry is in the token', async () => {
    const token = await tokens.issue('password', INSTALLER, PASSWORD_LINK_TTL_MS);
    expect(token).toMatch(/^[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/);
    const decoded = token
      .split('.')
      .map((part) => Buffer.from(part, 'base64url').toString('latin1'))
      .join(' ');
    for (const personal of [INSTALLER, 'ola', 'nordmann', 'example', 'password', String(clock + PASSWORD_LINK_TTL_MS).slice(0, 6)]) {
      expect(decoded).not.toContain(personal);
      expect(token.toLowerCase()).not.toContain(personal);
    }
  });

  it('answers invalid for a tampered id or MAC, and for malformed input', async () => {
    const token = await tokens.issue('password', INSTALLER, PASSWORD_LINK_TTL_MS);
    const [id, signature] = token.split('.') as [string, string];
    for (const bad of [
      `${flipChar(id, 5)}.${signature}`,
      `${id}.${flipChar(signature, 3)}`,
      `${id}.${signature.slice(0, -2)}`,
      `${id}.${signature}.x`,
      `${id}`,
      '',
      'not a token',
      'x'.repeat(5000),
    ]) {
      expect(await tokens.check(bad, 'password')).toEqual({ ok: false, reason: 'invalid' });
      expect(await tokens.redeem(bad, 'password')).toEqual({ ok: false, reason: 'invalid' });
    }
    // The genuine token is still good.
    expect((await tokens.check(token, 'password')).ok).toBe(true);
  });

  it('answers invalid for a token signed with another secret', async () => {
    const other = createLinkTokens(store, randomBytes(48), () => clock);
    const foreign = await other.issue('password', INSTALLER, PASSWORD_LINK_TTL_MS);
    expect(await tokens.check(foreign, 'password')).toEqual({ ok: false, reason: 'invalid' });
    expect(await tokens.redeem(foreign, 'password')).toEqual({ ok: false, reason: 'invalid' });
  });

  it('current() hands out the same link while it is unused and has time left, a new one once it is used or nearly expired', async () => {
    const first = await tokens.current('password', INSTALLER, PASSWORD_LINK_TTL_MS);
    expect(await tokens.current('password', INSTALLER, PASSWORD_LINK_TTL_MS)).toBe(first);
    expect(await tokens.redeem(first, 'password')).toEqual({ ok: true, installerId: INSTALLER });
    const second = await tokens.current('password', INSTALLER, PASSWORD_LINK_TTL_MS);
    expect(second).not.toBe(first);
    expect(await tokens.check(second, 'password')).toEqual({ ok: true, installerId: INSTALLER });
    clock += PASSWORD_LINK_TTL_MS - 60_000;
    const third = await tokens.current('password', INSTALLER, PASSWORD_LINK_TTL_MS);
    expect(third).not.toBe(second);
    expect(await tokens.check(third, 'password')).toEqual({ ok: true, installerId: INSTALLER });
  });

  it('a newer link invalidates the older one of the same purpose and installer only', async () => {
    const older = await tokens.issue('password', INSTALLER, PASSWORD_LINK_TTL_MS);
    const confirm = await tokens.issue('confirm', INSTALLER, CONFIRM_LINK_TTL_MS);
    const someoneElse = await tokens.issue('password', 'kari@example.no', PASSWORD_LINK_TTL_MS);
    const newer = await tokens.issue('password', INSTALLER, PASSWORD_LINK_TTL_MS);
    expect(await tokens.check(older, 'password')).toEqual({ ok: false, reason: 'replaced' });
    expect(await tokens.redeem(older, 'password')).toEqual({ ok: false, reason: 'replaced' });
    expect(await tokens.check(newer, 'password')).toEqual({ ok: true, installerId: INSTALLER });
    expect(await tokens.check(confirm, 'confirm')).toEqual({ ok: true, installerId: INSTALLER });
    expect(await tokens.check(someoneElse, 'password')).toEqual({ ok: true, installerId: 'kari@example.no' });
  });

  it('after forgetLinkTokens every link of the installer answers invalid, and no link record names the installer', async () => {
    const older = await tokens.issue('password', 'forget.me@example.no', PASSWORD_LINK_TTL_MS);
    const token = await tokens.issue('password', 'forget.me@example.no', PASSWORD_LINK_TTL_MS);
    const confirm = await tokens.issue('confirm', 'forget.me@example.no', CONFIRM_LINK_TTL_MS);
    await forgetLinkTokens(store, 'forget.me@example.no');
    for (const [t, purpose] of [[older, 'password'], [token, 'password'], [confirm, 'confirm']] as const) {
      expect(await tokens.check(t, purpose)).toEqual({ ok: false, reason: 'invalid' });
      expect(await store.get(linkTokenKeys.link(t.split('.')[0]!))).toBeUndefined();
    }
    expect(await store.get(linkTokenKeys.ofInstaller('forget.me@example.no'))).toBeUndefined();
    expect(await store.get(linkTokenKeys.current('password', 'forget.me@example.no'))).toBeUndefined();
  });

  it('after replace() every link of a replaced registration answers replaced, naming nobody; other installers keep theirs', async () => {
    const old = 'wrong.address@example.no';
    const password = await tokens.current('password', old, PASSWORD_LINK_TTL_MS);
    const confirm = await tokens.issue('confirm', old, CONFIRM_LINK_TTL_MS);
    const station = await tokens.issue('station', old, PASSWORD_LINK_TTL_MS);
    const someoneElse = await tokens.issue('password', 'kari@example.no', PASSWORD_LINK_TTL_MS);
    await tokens.replace(old);
    for (const [t, purpose] of [[password, 'password'], [confirm, 'confirm'], [station, 'station']] as const) {
      expect(await tokens.check(t, purpose)).toEqual({ ok: false, reason: 'replaced' });
      expect(await tokens.redeem(t, purpose)).toEqual({ ok: false, reason: 'replaced' });
      expect(JSON.stringify((await store.get(linkTokenKeys.link(t.split('.')[0]!)))?.value)).not.toContain(old);
    }
    expect(await store.get(linkTokenKeys.ofInstaller(old))).toBeUndefined();
    for (const purpose of ['password', 'confirm', 'station'] as const) expect(await store.get(linkTokenKeys.current(purpose, old))).toBeUndefined();
    expect(await tokens.check(someoneElse, 'password')).toEqual({ ok: true, installerId: 'kari@example.no' });
    // a new registration under the same id gets links that work
    const again = await tokens.current('password', old, PASSWORD_LINK_TTL_MS);
    expect(again).not.toBe(password);
    expect(await tokens.check(again, 'password')).toEqual({ ok: true, installerId: old });
  });

  it('two concurrent redeems of one token: exactly one succeeds', async () => {
    for (let round = 0; round < 5; round++) {
      const token = await tokens.issue('confirm', `race-${round}@example.no`, CONFIRM_LINK_TTL_MS);
      const results = await Promise.all([tokens.redeem(token, 'confirm'), tokens.redeem(token, 'confirm')]);
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect(results.filter((r) => !r.ok)).toEqual([{ ok: false, reason: 'used' }]);
    }
  });

  it('two processes (two connections to one SQLite file) racing on a token: exactly one succeeds', async () => {
    const second = await openDocumentStore('sqlite://' + path.join(dir, 'store.sqlite'));
    try {
      const otherProcess = createLinkTokens(second, secret, () => clock);
      const token = await tokens.issue('password', 'two.processes@example.no', PASSWORD_LINK_TTL_MS);
      const results = await Promise.all([tokens.redeem(token, 'password'), otherProcess.redeem(token, 'password')]);
      expect(results.filter((r) => r.ok)).toHaveLength(1);
    } finally {
      await second.close();
    }
  });

  it('refuses a short secret', () => {
    expect(() => createLinkTokens(store, randomBytes(16))).toThrow(/at least 32 bytes/);
  });
});

describe('loadTokenSecret', () => {
  it('makes a 48-byte secret in DATA_DIR with mode 0600 and reads the same one after a restart', () => {
    const dataDir = path.join(tempDir('token-secret-'), 'nested', 'data');
    const first = loadTokenSecret({ DATA_DIR: dataDir, TOKEN_SECRET: undefined });
    expect(first).toHaveLength(48);
    const file = path.join(dataDir, TOKEN_SECRET_FILE);
    if (process.platform !== 'win32') expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const again = loadTokenSecret({ DATA_DIR: dataDir, TOKEN_SECRET: undefined });
    expect(again.equals(first)).toBe(true);
    expect(loadTokenSecret({ DATA_DIR: tempDir('token-secret-other-'), TOKEN_SECRET: undefined }).equals(first)).toBe(false);
  });

  it('uses TOKEN_SECRET when set, and writes no file', () => {
    const dataDir = tempDir('token-secret-env-');
    const value = 'a-configured-secret-of-at-least-32-characters';
    expect(loadTokenSecret({ DATA_DIR: dataDir, TOKEN_SECRET: value }).equals(Buffer.from(value, 'utf8'))).toBe(true);
    expect(fs.existsSync(path.join(dataDir, TOKEN_SECRET_FILE))).toBe(false);
  });

  it('tokens keep working across a restart with the persisted secret', async () => {
    const dataDir = tempDir('token-restart-');
    const url = 'sqlite://' + path.join(dataDir, 'store.sqlite');
    const before = await openDocumentStore(url);
    const token = await createLinkTokens(before, loadTokenSecret({ DATA_DIR: dataDir, TOKEN_SECRET: undefined })).issue(
      'password',
      INSTALLER,
      PASSWORD_LINK_TTL_MS,
    );
    await before.close();
    const after = await openDocumentStore(url);
    try {
      const restarted = createLinkTokens(after, loadTokenSecret({ DATA_DIR: dataDir, TOKEN_SECRET: undefined }));
      expect(await restarted.check(token, 'password')).toEqual({ ok: true, installerId: INSTALLER });
    } finally {
      await after.close();
    }
  });
});
