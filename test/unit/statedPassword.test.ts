import { parseStatedPassword } from '../../src/domain/statedPassword';

describe('parseStatedPassword: a password typed into the chat', () => {
  it.each([
    ['passordet mitt er Fjellvann-88', 'Fjellvann-88'],
    ['Passordet blir «Sommerfugl2026!»', 'Sommerfugl2026!'],
    ['passord: tre grønne traktorer', 'tre grønne traktorer'],
    ['mitt passord er hemmelig123', 'hemmelig123'],
    ['my password is "Ladestasjon-Bergen-2026!"', 'Ladestasjon-Bergen-2026!'],
    ['My new password will be Kx9#mQ2!vL', 'Kx9#mQ2!vL'],
    ['password=hunter2hunter2', 'hunter2hunter2'],
  ])('%s → %s', (text, password) => expect(parseStatedPassword(text)).toBe(password));

  it.each([
    'what password should I choose?',
    'hvilket passord skal jeg velge?',
    'passord',
    'I forgot my password',
    'jeg har glemt passordet',
    'password is',
    'the password page does not open',
    `my password is ${'x'.repeat(500)}`,
  ])('%s is not a stated password', (text) => expect(parseStatedPassword(text)).toBeUndefined());
});
