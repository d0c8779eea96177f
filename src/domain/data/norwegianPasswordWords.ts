/**
 * Norwegian words people build weak passwords from (`sommer2024`, `Passord123`, `norge12345`):
 * seasons, months, days, places, clubs, common first names and everyday words. Lower case, with
 * æ/ø/å; the password policy adds the spellings without them (ø → o / oe, å → a / aa, æ → ae / e).
 * Add words here, not in code; test/unit/passwordPolicy.test.ts checks that a sample is refused.
 */
export const NORWEGIAN_PASSWORD_WORDS: readonly string[] = [
  // the words people use for passwords themselves
  'passord', 'passordet', 'hemmelig', 'hemmelighet', 'kode', 'koden', 'pinkode', 'brukernavn', 'logginn', 'velkommen', 'admin', 'bruker',
  // seasons, months, days, holidays
  'sommer', 'vinter', 'høst', 'vår', 'ferie', 'sommerferie', 'vinterferie', 'høstferie', 'påskeferie', 'juleferie', 'påske', 'jul', 'julaften', 'nyttår', 'sankthans', 'syttendemai',
  'januar', 'februar', 'mars', 'april', 'mai', 'juni', 'juli', 'august', 'september', 'oktober', 'november', 'desember',
  'mandag', 'tirsdag', 'onsdag', 'torsdag', 'fredag', 'lørdag', 'søndag', 'helg',
  // the country and places
  'norge', 'noreg', 'norsk', 'norway', 'nordmann', 'oslo', 'bergen', 'trondheim', 'stavanger', 'kristiansand', 'tromsø', 'drammen',
  'fredrikstad', 'sandnes', 'sarpsborg', 'skien', 'ålesund', 'sandefjord', 'haugesund', 'tønsberg', 'moss', 'porsgrunn', 'bodø',
  'arendal', 'hamar', 'larvik', 'halden', 'lillehammer', 'molde', 'harstad', 'gjøvik', 'kongsberg', 'narvik', 'alta', 'hammerfest',
  'kirkenes', 'steinkjer', 'levanger', 'namsos', 'florø', 'førde', 'voss', 'lofoten', 'finnmark', 'troms', 'nordland', 'trøndelag',
  'vestland', 'rogaland', 'agder', 'telemark', 'vestfold', 'viken', 'innlandet', 'akershus', 'østfold', 'buskerud', 'hedmark',
  'oppland', 'hordaland', 'sogn', 'fjordane', 'møre', 'romsdal', 'svalbard', 'fjord', 'fjellet', 'nordlys', 'midnattsol',
  // football clubs and sport
  'rosenborg', 'brann', 'vålerenga', 'molde', 'viking', 'lillestrøm', 'strømsgodset', 'odd', 'bodøglimt', 'glimt', 'tromsøil',
  'sarpsborg08', 'haugesund', 'aalesund', 'sandefjord', 'stabæk', 'start', 'lyn', 'skeid', 'fotball', 'håndball', 'langrenn',
  'skiløper', 'vm', 'landslaget',
  // common first names
  'ola', 'kari', 'per', 'pål', 'espen', 'jan', 'lars', 'ole', 'hans', 'knut', 'arne', 'bjørn', 'thomas', 'martin', 'andreas',
  'jonas', 'magnus', 'henrik', 'kristian', 'erik', 'anders', 'johannes', 'jakob', 'emil', 'noah', 'william', 'oskar', 'lucas',
  'filip', 'aksel', 'isak', 'sander', 'even', 'trond', 'geir', 'terje', 'rune', 'tor', 'odd', 'svein', 'kjell', 'arild', 'morten',
  'stian', 'eirik', 'øyvind', 'håkon', 'sigurd', 'olav', 'harald', 'haakon', 'marius', 'fredrik', 'petter', 'tore', 'roar',
  'anne', 'inger', 'marit', 'liv', 'ingrid', 'hilde', 'randi', 'solveig', 'kristin', 'berit', 'astrid', 'bjørg', 'silje', 'ida',
  'nora', 'emma', 'sofie', 'sofia', 'ella', 'olivia', 'leah', 'maja', 'sara', 'ingeborg', 'thea', 'hanna', 'julie', 'camilla',
  'marte', 'maria', 'linn', 'tone', 'grete', 'heidi', 'mona', 'siri', 'kine', 'tuva', 'frida', 'eva', 'vilde', 'selma', 'aurora',
  'mamma', 'pappa', 'mormor', 'morfar', 'farmor', 'farfar', 'bestemor', 'bestefar', 'onkel', 'tante',
  // everyday words
  'hei', 'heisann', 'hallo', 'takk', 'tusentakk', 'elsker', 'elskerdeg', 'kjæreste', 'kjærlighet', 'hjerte', 'familie', 'hjem',
  'hjemme', 'huset', 'hytta', 'hytte', 'båt', 'bil', 'bilen', 'hund', 'hunden', 'katt', 'katten', 'hest', 'fisk', 'fiske', 'elg',
  'bjørn', 'ulv', 'rev', 'sol', 'solskinn', 'regn', 'snø', 'is', 'fjell', 'skog', 'sjø', 'hav', 'himmel', 'stjerne', 'måne',
  'blomst', 'rose', 'eple', 'sjokolade', 'kaffe', 'øl', 'vin', 'pizza', 'taco', 'brunost', 'lefse', 'vaffel', 'kake', 'godteri',
  'penger', 'jobb', 'jobben', 'arbeid', 'firma', 'kontor', 'elektro', 'elektriker', 'montør', 'strøm', 'lader', 'lading',
  'ladestasjon', 'elbil', 'tesla', 'installatør', 'sikkerhet', 'sikker', 'data', 'datamaskin', 'telefon', 'mobil', 'internett',
  'skole', 'sommerfugl', 'prinsesse', 'prins', 'konge', 'dronning', 'engel', 'djevel', 'drage', 'ridder', 'helt', 'vennen',
  'venn', 'venner', 'bestevenn', 'gutt', 'jente', 'baby', 'lykke', 'glede', 'frihet', 'fred', 'håp', 'tro', 'gud', 'jesus',
  'qwertz', 'asdfgh', 'zxcvbn', 'æøå', 'abc', 'abcd',
];
