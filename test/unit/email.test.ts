import { maskEmail, parseEmail, type EmailProblem, withAddressSlips } from '../../src/domain/email';

describe('parseEmail', () => {
  it.each<[string, string, string]>([
    ['ola.nordmann@firma.no', 'ola.nordmann@firma.no', 'ola.nordmann@firma.no'],
    ['  Ola.Nordmann@Firma.NO  ', 'Ola.Nordmann@firma.no', 'ola.nordmann@firma.no'],
    ['<a href="mailto:kari@elektro.no">kari@elektro.no</a>', 'kari@elektro.no', 'kari@elektro.no'],
    ['mailto:per@montor.no', 'per@montor.no', 'per@montor.no'],
    ['e-posten min er per@montor.no', 'per@montor.no', 'per@montor.no'],
    ['my email is jane+cp@company.co.uk.', 'jane+cp@company.co.uk', 'jane+cp@company.co.uk'],
    ['"ola@firma.no"', 'ola@firma.no', 'ola@firma.no'],
    ['o\'brien@elec.ie', "o'brien@elec.ie", "o'brien@elec.ie"],
    ['post@sandnes-elektro.no', 'post@sandnes-elektro.no', 'post@sandnes-elektro.no'],
  ])('accepts %j as %s (key %s)', (input, email, id) => {
    expect(parseEmail(input)).toEqual({ ok: true, email, id });
  });

  it.each<[string, EmailProblem]>([
    ['', 'empty'],
    ['   ', 'empty'],
    ['ola.nordmann', 'missing_at'],
    ['ola.nordmann.firma.no', 'missing_at'],
    ['ola@@firma.no', 'several_at'],
    ['ola@firma@no', 'several_at'],
    ['ola @firma.no', 'spaces'],
    ['ola@ firma.no', 'spaces'],
    ['@firma.no', 'missing_local'],
    ['ola@', 'missing_domain'],
    ['ola@firma', 'missing_tld'],
    ['ola@firma.n0', 'missing_tld'],
    ['ola@firma.1', 'missing_tld'],
    ['ola..nordmann@firma.no', 'double_dot'],
    ['ola@firma..no', 'double_dot'],
    ['.ola@firma.no', 'edge_dot'],
    ['ola.@firma.no', 'edge_dot'],
    ['ola@.firma.no', 'edge_dot'],
    ['ola(nordmann)@firma.no', 'invalid_characters'],
    ['ola,nordmann@firma.no', 'invalid_characters'],
    ['ola@firma_as.no', 'invalid_characters'],
    ['ola@-firma.no', 'invalid_characters'],
    ['ola@firma-.no', 'invalid_characters'],
    ['ola[1]@firma.no', 'invalid_characters'],
    [`${'a'.repeat(65)}@firma.no`, 'too_long'],
    [`ola@${'a'.repeat(250)}.no`, 'too_long'],
  ])('rejects %j with %s', (input, problem) => {
    expect(parseEmail(input)).toEqual({ ok: false, problem });
  });

  it('masks an address for a message that must not reveal it', () => {
    expect(maskEmail('ola.nordmann@firma.no')).toBe('o***n@firma.no');
    expect(maskEmail('jo@firma.no')).toBe('j*@firma.no');
  });
});

describe('an address that is SQL, not a mailbox', () => {
  it.each([
    "'; DROP TABLE users; --@firma.no",
    "robert');DROP TABLE students;--@firma.no",
    "--@firma.no",
    "'--@firma.no",
  ])('rejects %j as invalid characters (never registered, not even after showing it back)', (input) => {
    expect(parseEmail(input)).toEqual({ ok: false, problem: 'invalid_characters' });
  });
});

describe('withAddressSlips', () => {
  it.each([
    ['ola@gmail,com', 'ola@gmail.com'],
    ['min epost er kari@elektro,no takk', 'min epost er kari@elektro.no takk'],
    ['sam@sparks,co,uk', 'sam@sparks.co.uk'],
    ['ola.nordmann@firma .no', 'ola.nordmann@firma.no'],
    ['ola.nordmann (at) firma.no', 'ola.nordmann@firma.no'],
    ['sam(at)sparks.co.uk', 'sam@sparks.co.uk'],
    ['ola.nordmann krøllalfa firma.no', 'ola.nordmann@firma.no'],
    ['eposten er ola punktum nordmann krøllalfa firma punktum no', 'eposten er ola.nordmann@firma.no'],
    ['sam at sparks dot co dot uk', 'sam@sparks.co.uk'],
    ['my email is sam dot smith at sparks dot com thanks', 'my email is sam.smith@sparks.com thanks'],
    // a comma that ends the address, commas before the @, and "at" in a sentence stay as they are
    ['ola@firma.no, takk', 'ola@firma.no, takk'],
    ['ja, ola@firma.no', 'ja, ola@firma.no'],
    ["i'm at the site", "i'm at the site"],
    ['at ola@firma.no dot', 'at ola@firma.no dot'],
    ['krøllalfa', 'krøllalfa'],
  ])('%s → %s', (typed, read) => {
    expect(withAddressSlips(typed)).toBe(read);
  });
});
