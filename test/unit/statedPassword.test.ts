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
    // a password that starts with such a word is still one
    ['passordet er satt-Bergen-2026', 'satt-Bergen-2026'],
    ['my password is done with four more words', 'done with four more words'],
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
    // how the password stands, not what it is (found playing it through: "passordet er satt" was warned about as a password in the chat)
    'passordet er satt',
    'passordet er satt nå',
    'passordet mitt er lagret :)',
    'my password is saved',
    'password is set now',
    'password: done',
  ])('%s is not a stated password', (text) => expect(parseStatedPassword(text)).toBeUndefined());
});
