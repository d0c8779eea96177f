import { REGION_LINKS } from '../../src/domain/journey';

describe('regional links: one table, each region its own', () => {
  it('North America: the North American portal, FAQ and support page', () => {
    expect(REGION_LINKS.na).toEqual({
      signUp: 'https://cpinstaller.learnupon.com/users/sign_up',
      faq: 'https://www.chargepoint.com/installers/',
      support: { nb: 'https://customer.chargepoint.com/s/guest-help-na-station-issues', en: 'https://customer.chargepoint.com/s/guest-help-na-station-issues' },
    });
  });

  it('Europe and the UK: the global portal, the EU FAQ and the European support page, never a North American link', () => {
    expect(REGION_LINKS.global).toEqual({
      signUp: 'https://cpglobal.learnupon.com/users/sign_up',
      faq: 'https://www.chargepoint.com/eu/installers/',
      support: { nb: 'https://www.chargepoint.com/no-no/support', en: 'https://www.chargepoint.com/en-gb/support' },
    });
    expect(JSON.stringify(REGION_LINKS.global)).not.toMatch(/guest-help-na|cpinstaller/);
  });
});
