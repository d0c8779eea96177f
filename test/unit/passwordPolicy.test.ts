import { checkPassword, COMMON_PASSWORD_COUNT, type PasswordProblem } from '../../src/domain/passwordPolicy';
import { hashPassword, verifyPassword } from '../../src/services/installers/passwordHasher';

const EMAIL = 'Ola.Nordmann@Elektro.no';
const STRONG = 'Ladestasjon-Bergen-2026!';
/** 128 characters that are not a pattern (a repeated one is refused as guessable). */
const LONG = 'Kx9#mQ2!vL-tre grønne traktorer i Sogn-'.padEnd(128, 'Zq7$wE4&rT1*yU8^iO3@pA6%sD0!fG5#hJ2+kL9=');

type Case = [name: string, password: string, confirmation: string, expected: PasswordProblem[]];

const p = (code: PasswordProblem['code']): PasswordProblem => ({ field: 'password', code });
const c = (code: PasswordProblem['code']): PasswordProblem => ({ field: 'confirmation', code });

const cases: Case[] = [
  ['a strong passphrase', STRONG, STRONG, []],
  ['Norwegian letters and spaces', 'blåbærsyltetøy på taket', 'blåbærsyltetøy på taket', []],
  ['exactly 10 characters', 'Kx9#mQ2!vL', 'Kx9#mQ2!vL', []],
  ['exactly 128 characters', LONG, LONG, []],
  ['10 emoji count as 10 characters', '🔌⚡🔋🚗🔌⚡🔋🚗🔌⚡', '🔌⚡🔋🚗🔌⚡🔋🚗🔌⚡', []],
  ['empty password and confirmation', '', '', [p('required')]],
  ['blank password', '            ', '            ', [p('required')]],
  ['empty password, confirmation given', '', STRONG, [p('required'), c('mismatch')]],
  ['9 characters', 'Kx9#mQ2!v', 'Kx9#mQ2!v', [p('too_short')]],
  ['129 characters', 'Aa1!'.repeat(32) + 'x', 'Aa1!'.repeat(32) + 'x', [p('too_long')]],
  ['the email itself', EMAIL, EMAIL, [p('is_email')]],
  ['the email in other case', EMAIL.toLowerCase(), EMAIL.toLowerCase(), [p('is_email')]],
  ['the local part of the email', 'OLA.NORDMANN', 'OLA.NORDMANN', [p('is_email')]],
  ['contains the whole email', `x${EMAIL}2026`, `x${EMAIL}2026`, [p('is_email')]],
  ['a common password (10+ chars)', 'qwertyuiop', 'qwertyuiop', [p('common')]],
  ['a common password in other case', 'PassWord123', 'PassWord123', [p('common')]],
  ['a short common password', 'password', 'password', [p('too_short'), p('common')]],
  ['confirmation missing', STRONG, '', [c('required')]],
  ['confirmation differs', STRONG, STRONG + ' ', [c('mismatch')]],
  ['confirmation differs only in case', STRONG, STRONG.toLowerCase(), [c('mismatch')]],
  ['several problems at once', 'abc123', 'abc124', [p('too_short'), p('common'), c('mismatch')]],
];

describe('checkPassword', () => {
  it.each(cases)('%s', (_name, password, confirmation, expected) => {
    expect(checkPassword({ password, confirmation, email: EMAIL })).toEqual(expected);
  });

  it('does not treat an unrelated password as the email when the email is empty', () => {
    expect(checkPassword({ password: STRONG, confirmation: STRONG, email: '' })).toEqual([]);
  });

  // the weak Norwegian passwords installers really chose, and what people build from local words
  it.each(['sommer2024', 'Sommer2024!', 'passord123', 'norge12345', 'Vinter2025!', 'Rosenborg1', 'Bergen2026!', 'kjaerlighet1', 'p4ssord2024', 'hostferie2024', 'Tromso12345', 'olanordmann'])(
    'refuses the weak Norwegian password %s as too easy to guess',
    (password) => {
      expect(checkPassword({ password, confirmation: password, email: 'kari@firma.no' })).toEqual([p('common')]);
    },
  );

  it.each(['Ladestasjon-Bergen-2026!', 'blåbærsyltetøy på taket', 'tre grønne traktorer i Sogn', 'Kx9#mQ2!vLp'])('accepts the strong password %s', (password) => {
    expect(checkPassword({ password, confirmation: password, email: 'kari@firma.no' })).toEqual([]);
  });

  it('refuses at least 10,000 common passwords', () => {
    expect(COMMON_PASSWORD_COUNT).toBeGreaterThanOrEqual(10_000);
  });
});

describe('password hashing (scrypt)', () => {
  it('verifies the right password and refuses a wrong one', async () => {
    const stored = await hashPassword(STRONG);
    expect(stored).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9+/]+=*\$[A-Za-z0-9+/]+=*$/);
    expect(Buffer.from(stored.split('$')[4], 'base64')).toHaveLength(16);
    expect(Buffer.from(stored.split('$')[5], 'base64')).toHaveLength(64);
    await expect(verifyPassword(STRONG, stored)).resolves.toBe(true);
    await expect(verifyPassword(STRONG + 'x', stored)).resolves.toBe(false);
    await expect(verifyPassword('', stored)).resolves.toBe(false);
  });

  it('uses a fresh salt each time and never contains the password', async () => {
    const [a, b] = await Promise.all([hashPassword(STRONG), hashPassword(STRONG)]);
    expect(a).not.toEqual(b);
    expect(a.split('$')[4]).not.toEqual(b.split('$')[4]);
    for (const stored of [a, b]) {
      expect(stored).not.toContain(STRONG);
      expect(stored).not.toContain(Buffer.from(STRONG).toString('base64'));
    }
  });

  it('answers false (not an error) for a malformed or hostile stored value', async () => {
    for (const stored of ['', 'plain-text', 'scrypt$16384$8$1$$', 'bcrypt$x', 'scrypt$1073741824$8$1$c2FsdHNhbHRzYWx0c2FsdA==$' + 'A'.repeat(88)]) {
      await expect(verifyPassword(STRONG, stored)).resolves.toBe(false);
    }
  });
});
