import { parseLinkCode } from '../../src/domain/oneTimeCode';

describe('parseLinkCode: the code however it is typed', () => {
  it.each([
    ['048213', '048213'],
    ['048 213', '048213'],
    ['048-213', '048213'],
    ['koden er 048213', '048213'],
    ['code: 048 213 thanks', '048213'],
    ['٠٤٨٢١٣', '048213'],
  ])('%s → %s', (typed, code) => expect(parseLinkCode(typed)).toBe(code));

  it.each(['', '04821', '0482133', 'ny kode', 'my phone is 912 34 567', '1'.repeat(100_000)])('%s is not a code', (typed) => {
    expect(parseLinkCode(typed)).toBeUndefined();
  });
});
