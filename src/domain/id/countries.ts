/**
 * Country part of the robot ID: ISO 3166-1 alpha-2, officially assigned codes only (GB/T 2659.1 uses the same
 * codes). The list is fixed here rather than taken from a dependency so that whether an ID is valid never changes
 * with a package update; a test checks it against `i18n-iso-countries` (which also lists the user-assigned XK,
 * Kosovo: excluded here).
 *
 * Names come from `i18n-iso-countries`. We import its plain `index.js`, not the package main, which would register
 * all ~80 locales at start-up; only English and Chinese are registered.
 */
import countries from 'i18n-iso-countries/index.js';
import en from 'i18n-iso-countries/langs/en.json' with { type: 'json' };
import zh from 'i18n-iso-countries/langs/zh.json' with { type: 'json' };

countries.registerLocale(en);
countries.registerLocale(zh);

/** The 249 officially assigned ISO 3166-1 alpha-2 codes, sorted. */
export const ISO_3166_ALPHA2: readonly string[] = Object.freeze(
  (
    'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT ' +
    'BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ' +
    'ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT ' +
    'HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS ' +
    'LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI ' +
    'NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG ' +
    'SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG ' +
    'UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW'
  ).split(' '),
);

const ASSIGNED: ReadonlySet<string> = new Set(ISO_3166_ALPHA2);

/** Whether `code` (upper case) is an officially assigned ISO 3166-1 alpha-2 code. */
export const isCountryCode = (code: string): boolean => ASSIGNED.has(code);

export type CountryNameLanguage = 'en' | 'zh';

/**
 * Short name of an assigned country code (case-insensitive), e.g. `countryName('CN', 'en')` is
 * "People's Republic of China" and `countryName('CN', 'zh')` is "中国". Returns undefined for any other code.
 */
export function countryName(code: string, lang: CountryNameLanguage = 'en'): string | undefined {
  const upper = code.toUpperCase();
  if (!ASSIGNED.has(upper)) return undefined;
  return countries.getName(upper, lang);
}
