/**
 * Phone numbers as SMS delivery checks them before any call: E.164 syntax, the country calling code, the
 * region (ISO 3166-1 alpha-2) a number belongs to, and the country allow-list that keeps SMS pumping fraud
 * (premium-rate numbers requested by bots, paid for by the sender) to the countries a pool serves.
 *
 * The region of a number is its longest prefix in {@link CALLING_CODE_PREFIXES}, a table derived from
 * libphonenumber's metadata (libphonenumber-js 1.13.17): each calling code, and the leading digits that tell
 * apart the regions sharing one (Jamaica's `+1 876`, Kazakhstan's `+7 7`, the Vatican's `+39 06 698`), and for
 * Guernsey, Jersey and the Isle of Man in `+44` the leading digits of their fixed and mobile ranges, read off
 * libphonenumber's number patterns (`+44 7781` is Guernsey's, so allowing `GB` does not allow it). Limits: a
 * region that libphonenumber tells apart only by whole-number patterns (Mayotte in `+262`, …:
 * {@link SHARED_CODE_REGIONS}) cannot be listed by name, only by calling code; the pager, VoIP and personal
 * ranges the Crown Dependencies share with the UK (`+44 76`, `+44 56`, `+44 70`) count as `GB`; and a `+1`
 * number of an area code the table does not list (a new Canadian one, or a non-geographic one such as the
 * premium-rate `900`) counts as `US`.
 */
import { OptionsError } from '../options.js';

// E.164: a `+`, a calling code that does not start with 0, and at most 15 digits in all. No real number is
// shorter than 7 digits (Niue and Tokelau: a 3-digit code and 4 digits).
const E164 = /^\+[1-9]\d{6,14}$/;

/** Whether `value` is an E.164 phone number: `+`, then 7 to 15 digits, the first not 0. */
export function isE164(value: unknown): value is string {
  return typeof value === 'string' && E164.test(value);
}

/**
 * Calling-code prefixes (digits after the `+`) and the region each belongs to, `prefix:REGION`. A prefix
 * longer than its calling code names a region that shares the code with the first region listed for it.
 */
export const CALLING_CODE_PREFIXES = `
  1:US 1204:CA 1226:CA 1236:CA 1242:BS 1246:BB 1249:CA 1250:CA 1257:CA 1263:CA 1264:AI 1268:AG
  1273:CA 1284:VG 1289:CA 1306:CA 1340:VI 1343:CA 1345:KY 1354:CA 1365:CA 1367:CA 1368:CA 1382:CA
  1403:CA 1416:CA 1418:CA 1428:CA 1431:CA 1437:CA 1438:CA 1441:BM 1450:CA 1468:CA 1473:GD 1474:CA
  1506:CA 1514:CA 1519:CA 1548:CA 1579:CA 1581:CA 1584:CA 1587:CA 1600:CA 1604:CA 1613:CA 1639:CA
  1647:CA 1649:TC 1658:JM 1664:MS 1670:MP 1671:GU 1672:CA 1683:CA 1684:AS 1705:CA 1709:CA 1721:SX
  1742:CA 1753:CA 1758:LC 1767:DM 1778:CA 1780:CA 1782:CA 1784:VC 1787:PR 1807:CA 1809:DO 1819:CA
  1825:CA 1829:DO 1849:DO 1867:CA 1868:TT 1869:KN 1873:CA 1876:JM 1879:CA 1902:CA 1905:CA 1939:PR
  1942:CA
  20:EG 211:SS 212:MA 213:DZ 216:TN 218:LY 220:GM 221:SN 222:MR 223:ML 224:GN 225:CI 226:BF 227:NE
  228:TG 229:BJ 230:MU 231:LR 232:SL 233:GH 234:NG 235:TD 236:CF 237:CM 238:CV 239:ST 240:GQ 241:GA
  242:CG 243:CD 244:AO 245:GW 246:IO 247:AC 248:SC 249:SD 250:RW 251:ET 252:SO 253:DJ 254:KE 255:TZ
  256:UG 257:BI 258:MZ 260:ZM 261:MG 262:RE 263:ZW 264:NA 265:MW 266:LS 267:BW 268:SZ 269:KM 27:ZA
  290:SH 2908:TA 291:ER 297:AW 298:FO 299:GL
  30:GR 31:NL 32:BE 33:FR 34:ES 350:GI 351:PT 352:LU 353:IE 354:IS 355:AL 356:MT 357:CY 358:FI
  35818:AX 359:BG 36:HU 370:LT 371:LV 372:EE 373:MD 374:AM 375:BY 376:AD 377:MC 378:SM 380:UA 381:RS
  382:ME 383:XK 385:HR 386:SI 387:BA 389:MK 39:IT 3906698:VA
  40:RO 41:CH 420:CZ 421:SK 423:LI 43:AT 44:GB 441481:GG 441534:JE 441624:IM 447509:JE 4474576:IM
  447524:IM 447624:IM 4477003:JE 4477007:JE 4477008:JE 447781:GG 447797:JE 447829:JE 447839:GG 4479111:GG
  4479117:GG 447924:IM 447937:JE 45:DK 46:SE 47:NO 4779:SJ 48:PL 49:DE
  500:FK 501:BZ 502:GT 503:SV 504:HN 505:NI 506:CR 507:PA 508:PM 509:HT 51:PE 52:MX 53:CU 54:AR 55:BR
  56:CL 57:CO 58:VE 590:GP 591:BO 592:GY 593:EC 594:GF 595:PY 596:MQ 597:SR 598:UY 599:CW 5993:BQ
  5994:BQ 5997:BQ
  60:MY 61:AU 62:ID 63:PH 64:NZ 65:SG 66:TH 670:TL 672:NF 673:BN 674:NR 675:PG 676:TO 677:SB 678:VU
  679:FJ 680:PW 681:WF 682:CK 683:NU 685:WS 686:KI 687:NC 688:TV 689:PF 690:TK 691:FM 692:MH
  7:RU 77:KZ
  81:JP 82:KR 84:VN 850:KP 852:HK 853:MO 855:KH 856:LA 86:CN 880:BD 886:TW
  90:TR 91:IN 92:PK 93:AF 94:LK 95:MM 960:MV 961:LB 962:JO 963:SY 964:IQ 965:KW 966:SA 967:YE 968:OM
  970:PS 971:AE 972:IL 973:BH 974:QA 975:BT 976:MN 977:NP 98:IR 992:TJ 993:TM 994:AZ 995:GE 996:KG
  998:UZ
`;

/** Calling codes that belong to no region (international freephone, satellite, networks): by code only. */
export const NON_GEOGRAPHIC_CALLING_CODES: readonly string[] = [
  '800',
  '808',
  '870',
  '878',
  '881',
  '882',
  '883',
  '888',
  '979',
];

/**
 * Regions that share a calling code with a larger one and that no prefix tells apart (libphonenumber knows
 * them by whole-number patterns only): their numbers count as the larger region's, and an allow-list names
 * them by calling code.
 */
export const SHARED_CODE_REGIONS: Readonly<Record<string, string>> = {
  CC: '61',
  CX: '61',
  EH: '212',
  YT: '262',
  BL: '590',
  MF: '590',
};

const PREFIX_REGION: ReadonlyMap<string, string> = new Map(
  CALLING_CODE_PREFIXES.trim()
    .split(/\s+/)
    .map((pair) => pair.split(':') as [string, string]),
);

/** The regions the table can tell a number belongs to. */
export const KNOWN_REGIONS: ReadonlySet<string> = new Set(PREFIX_REGION.values());

/** Every assigned calling code: the table's prefixes that extend no shorter one, and the non-geographic. */
export const CALLING_CODES: ReadonlySet<string> = new Set([
  ...[...PREFIX_REGION.keys()].filter(
    (prefix) => ![...PREFIX_REGION.keys()].some((other) => other !== prefix && prefix.startsWith(other)),
  ),
  ...NON_GEOGRAPHIC_CALLING_CODES,
]);

/** The calling code of an E.164 number (`+447700900123` -> `44`), or `undefined` for an unassigned one. */
export function callingCodeOf(phone: string): string | undefined {
  const digits = phone.replace(/^\+/, '');
  // Calling codes are 1 to 3 digits and prefix-free: at most one matches.
  for (const length of [1, 2, 3]) {
    const candidate = digits.slice(0, length);
    if (CALLING_CODES.has(candidate)) return candidate;
  }
  return undefined;
}

/** The region of an E.164 number (`+18765550123` -> `JM`), or `undefined` for a non-geographic one. */
export function regionOf(phone: string): string | undefined {
  const digits = phone.replace(/^\+/, '');
  // The longest prefix in the table: at most 7 digits (`3906698`).
  for (let length = Math.min(7, digits.length); length > 0; length -= 1) {
    const region = PREFIX_REGION.get(digits.slice(0, length));
    if (region !== undefined) return region;
  }
  return undefined;
}

/** A checked country allow-list. */
export type CountryAllowList = {
  /** Whether `phone` (E.164) may receive an SMS. */
  allows(phone: string): boolean;
  /** The entries as checked: `*`, calling-code prefixes as `+44`, regions in upper case. */
  readonly entries: readonly string[];
};

const PREFIX_ENTRY = /^\+?(\d{1,7})$/;
const REGION_ENTRY = /^[A-Za-z]{2}$/;

/**
 * Checks a country allow-list once, at construction. An entry is a calling code or a longer prefix of one
 * (`+44`, `44`, `+1876`), a region (`GB`, `us`), or `*` alone: every number, an explicit choice. A prefix
 * must start with an assigned calling code (`+4` would allow 40 countries); a region must be one the table
 * tells apart.
 * @throws OptionsError naming `option` and the first bad entry's position.
 *
 * @example
 * const allowList = countryAllowList(['US', 'CA', '+44']);
 * allowList.allows('+447700900123'); // true
 * allowList.allows('+18765550123'); // false: Jamaica shares +1, but is not US or CA
 * countryAllowList(['GB']).allows('+447781123456'); // false: a Guernsey mobile
 */
export function countryAllowList(entries: readonly string[], option = 'allowedCountries'): CountryAllowList {
  const expected =
    'a list of calling codes (+44, +1876), ISO 3166-1 regions (GB) or * alone for every country';
  if (!Array.isArray(entries) || entries.length === 0) throw new OptionsError(option, expected);
  if (entries.includes('*')) {
    if (entries.length > 1) throw new OptionsError(option, `${expected} (* cannot be combined)`);
    return { allows: (phone) => isE164(phone), entries: ['*'] };
  }
  const prefixes: string[] = [];
  const regions = new Set<string>();
  entries.forEach((entry: unknown, index) => {
    const bad = (why: string) => new OptionsError(option, `${expected} (entry ${index + 1} ${why})`);
    if (typeof entry !== 'string') throw bad('is not one');
    const prefix = PREFIX_ENTRY.exec(entry)?.[1];
    if (prefix !== undefined) {
      if (callingCodeOf(prefix) === undefined) throw bad('does not start with an assigned calling code');
      prefixes.push(prefix);
      return;
    }
    if (REGION_ENTRY.test(entry)) {
      const region = entry.toUpperCase();
      const shared = SHARED_CODE_REGIONS[region];
      if (shared !== undefined) throw bad(`shares +${shared} with another region: list +${shared} instead`);
      if (!KNOWN_REGIONS.has(region)) throw bad('is not a region with a calling code');
      regions.add(region);
      return;
    }
    throw bad('is not one');
  });

  return {
    entries: [...prefixes.map((prefix) => `+${prefix}`), ...regions],
    allows(phone) {
      if (!isE164(phone)) return false;
      const digits = phone.slice(1);
      if (prefixes.some((prefix) => digits.startsWith(prefix))) return true;
      const region = regionOf(phone);
      return region !== undefined && regions.has(region);
    },
  };
}
