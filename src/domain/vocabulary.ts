/**
 * Input vocabulary: what installers type, in both languages, for the answers of the journey's
 * questions (besides the button labels, which are recognised from the locale files). Output
 * text never lives here — that is in locales/.
 */
export const VOCABULARY = {
  yes: ['ja', 'yes', 'j', 'y', 'ok', 'okay', 'jepp', 'gjerne', 'sure', 'yep', 'yeah', 'klart', 'start'],
  no: ['nei', 'no', 'n', 'nope', 'ikke nå', 'not now', 'senere', 'later', 'nei takk', 'no thanks'],
  norwegian: ['norsk', 'norwegian', 'bokmål', 'nb', 'no'],
  english: ['english', 'engelsk', 'en'],
  regionGlobal: ['europa', 'europe', 'eu', 'uk', 'storbritannia', 'norge', 'norway', 'global', 'europe/uk', 'europa/storbritannia', 'europa og storbritannia', 'europe and the uk'],
  regionNorthAmerica: ['nord-amerika', 'nordamerika', 'north america', 'usa', 'us', 'canada', 'amerika', 'america', 'na'],
  otherAddress: ['annen adresse', 'another address', 'other address', 'annen', 'other', 'feil adresse', 'wrong address', 'feil e-post', 'feil epost', 'wrong email', 'endre adresse', 'change address', 'change email', 'endre e-post'],
  newCode: ['ny kode', 'new code', 'send ny kode', 'send a new code', 'send new code', 'send koden på nytt', 'send koden igjen', 'resend code', 'resend the code', 'fikk ikke kode', 'fikk ikke koden', 'ingen kode', 'no code', "didn't get the code", 'didnt get the code', 'send på nytt', 'send igjen', 'resend', 'send again'],
  newLink: ['ny lenke', 'new link', 'send ny lenke', 'send a new link', 'lenken virker ikke', "the link doesn't work", 'link expired', 'utløpt'],
  didntGetEmail: [
    'fikk ikke e-post',
    'fikk ikke epost',
    'fikk ikke e-posten',
    'ingen e-post',
    'har ikke fått e-post',
    'no email',
    "didn't get it",
    'didnt get it',
    "didn't get the email",
    'no mail',
    'ikke fått',
    'finner ikke e-posten',
  ],
  resend: ['send på nytt', 'send igjen', 'resend', 'send again'],
  changeEmail: ['endre e-post', 'feil adresse', 'change email', 'wrong address', 'endre'],
  /** "feil e-post", "endre epostadressen", "oops wrong email", "typo in my email": a word of each list (see asksToChangeAddress). */
  addressChangeWords: ['feil', 'endre', 'endra', 'bytte', 'bytt', 'rette', 'rett', 'korrigere', 'skrivefeil', 'annen', 'wrong', 'change', 'different', 'another', 'correct', 'fix', 'typo', 'update'],
  addressWords: [
    'e-post', 'epost', 'e-posten', 'eposten', 'e-posta', 'eposta', 'mail', 'mailen', 'e-mail', 'email', 'adresse', 'adressen', 'adressa', 'address',
    'e-postadresse', 'e-postadressen', 'epostadresse', 'epostadressen', 'mailadresse', 'mailadressen', 'e-mail-adresse',
  ],
  /** "Is kari@firma.no right?" answered in words (besides yes/no). */
  itIsRight: ['riktig', 'stemmer', 'det stemmer', 'korrekt', 'ja takk', 'ja det stemmer', 'ja riktig', 'det er riktig', 'helt riktig', 'jo', 'correct', 'right', "that's right", 'thats right', 'yes please', "that's it", 'thats it', 'yes correct', 'all good'],
  itIsWrong: ['feil', 'ikke riktig', 'stemmer ikke', 'det er feil', 'nei feil', 'wrong', 'not right', 'incorrect', "that's wrong", 'thats wrong', 'no wrong'],
  wait: ['vent', 'venter', 'wait', 'ok'],
  done: ['ferdig', 'done', 'finished', 'det var alt', "that's all", 'thats all', 'stopp', 'slutt'],
} as const satisfies Record<string, readonly string[]>;
