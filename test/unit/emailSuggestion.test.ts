import { suggestEmailFix } from '../../src/domain/email';
import { NORWEGIAN_MAIL_PROVIDERS } from '../../src/domain/data/emailProviders';

describe('suggestEmailFix: a misspelt provider domain is offered back corrected', () => {
  it.each<[string, string]>([
    ['kari@gmial.com', 'kari@gmail.com'],
    ['Kari.Montor@gmial.com', 'Kari.Montor@gmail.com'],
    ['ola@hotmial.no', 'ola@hotmail.no'],
    ['ola@outlok.com', 'ola@outlook.com'],
    ['ola@onlin.no', 'ola@online.no'],
    ['ola@online.nop', 'ola@online.no'],
    ['ola@altibox.com', 'ola@altibox.no'],
    ['ola@getmial.no', 'ola@getmail.no'],
    ['ola@yaho.no', 'ola@yahoo.no'],
    ['ola@frisurf.nop', 'ola@frisurf.no'],
    ['ola@gmail.co', 'ola@gmail.com'],
    ['ola@gmail.con', 'ola@gmail.com'],
    ['ola@icoud.com', 'ola@icloud.com'],
    ['ola@lyse.ner', 'ola@lyse.net'],
    ['ola@broadpak.no', 'ola@broadpark.no'],
  ])('%s → %s', (typed, suggested) => {
    expect(suggestEmailFix(typed)).toBe(suggested);
  });

  it.each(['kari@firma.no', 'kari.montor@elektro.no', 'sam.fitter@sparks.co.uk', 'ola@telenor.com', 'ola@mac.com', 'ola@nte.no', ...NORWEGIAN_MAIL_PROVIDERS.map((d) => `ola@${d}`)])(
    'leaves %s alone',
    (address) => {
      expect(suggestEmailFix(address)).toBeUndefined();
    },
  );
});
