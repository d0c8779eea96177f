import { parseAccountSetup } from '../../src/domain/accountSetup';

describe('the invitation page form (parseAccountSetup)', () => {
  const ok = { firstName: 'Kari', lastName: 'Nordmann', company: 'Elektro AS', termsAccepted: true };

  it.each([
    ['as typed', ok, { firstName: 'Kari', lastName: 'Nordmann', company: 'Elektro AS' }],
    ['spaces tidied', { ...ok, firstName: '  Kari  Anne ', company: 'Elektro\tAS\n' }, { firstName: 'Kari Anne', lastName: 'Nordmann', company: 'Elektro AS' }],
    ['names as people have them', { ...ok, firstName: 'Øyvind', lastName: "O'Brien-Ødegård", company: 'Sparks & Sons Ltd' }, { firstName: 'Øyvind', lastName: "O'Brien-Ødegård", company: 'Sparks & Sons Ltd' }],
    ['100 characters', { ...ok, company: 'å'.repeat(100) }, { firstName: 'Kari', lastName: 'Nordmann', company: 'å'.repeat(100) }],
  ])('takes %s', (_case, input, account) => {
    expect(parseAccountSetup(input)).toEqual({ ok: true, account });
  });

  it.each([
    ['terms not accepted', { ...ok, termsAccepted: false }, [{ field: 'terms', code: 'required' }]],
    ['a name of only spaces', { ...ok, firstName: ' \u200b ' }, [{ field: 'firstName', code: 'required' }]],
    ['everything missing', { firstName: '', lastName: '', company: '', termsAccepted: false }, [
      { field: 'firstName', code: 'required' },
      { field: 'lastName', code: 'required' },
      { field: 'company', code: 'required' },
      { field: 'terms', code: 'required' },
    ]],
    ['101 characters', { ...ok, lastName: 'x'.repeat(101) }, [{ field: 'lastName', code: 'too_long' }]],
  ])('refuses %s, naming each field', (_case, input, problems) => {
    expect(parseAccountSetup(input)).toEqual({ ok: false, problems });
  });
});
