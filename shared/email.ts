/**
 * Email addresses as this toolkit compares them: one normal form for domain rules, disposable lists and
 * invite binding, so `Jane@Bücher.example.`, `jane@xn--bcher-kva.example` and `JANE@bücher.example` are one.
 */
import { domainToASCII, domainToUnicode } from 'node:url';
import { type Env, readList } from './config.js';
import { ConfigurationError } from './errors.js';
import { OptionsError } from './options.js';

/** RFC 5321 bounds: 254 characters in all, 64 in the local part, 63 per DNS label. */
export const EmailLimits = { maxLength: 254, maxLocalLength: 64, maxLabelLength: 63 } as const;

// A sane subset of RFC 5322 dot-atoms: ASCII atext plus letters and digits of any script (EAI), no quotes.
const LOCAL_PART = /^[\p{L}\p{M}\p{N}!#$%&'*+/=?^_`{|}~-]+(?:\.[\p{L}\p{M}\p{N}!#$%&'*+/=?^_`{|}~-]+)*$/u;
// What a host name is made of before IDNA: letters, marks and digits of any script, hyphens and dots.
// Anything else (`%`, spaces, soft hyphens, zero-width characters, ideographic full stops) domainToASCII
// would decode or map away, giving a domain other than the one the address really names.
const DOMAIN_INPUT = /^[\p{L}\p{M}\p{N}.-]+$/u;
const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/** An address split into its normal form. */
export type NormalizedEmail = {
  /** `local@ascii-domain`, lower case, NFC: what invites are bound to and lists are matched on. */
  address: string;
  local: string;
  /** The domain in ASCII (punycode for IDNs), lower case, without a trailing dot. */
  domain: string;
  /**
   * Whether the address was spelled as its normal form reads, up to letter case: the local part in NFC, the
   * domain in its ASCII or its Unicode form, without a trailing dot. Cognito keeps an address as sent, so
   * another spelling (`ｃｏｒｐ.example` in fullwidth letters, a variation selector or other character IDNA
   * deletes, a decomposed accent, a trailing dot) is another address there while it compares equal here:
   * what grants anything on an address (an invite) accepts only these spellings.
   */
  canonical: boolean;
};

/**
 * The ASCII, lower-case form of a domain without its trailing dot, or `undefined` when it is not a valid
 * host name (`Bücher.Example.` -> `xn--bcher-kva.example`).
 */
export function normalizeDomain(domain: string): string | undefined {
  const trimmed = domain.replace(/\.$/, '');
  if (trimmed === '' || trimmed.length > 253 || !DOMAIN_INPUT.test(trimmed)) return undefined;
  const ascii = domainToASCII(trimmed.normalize('NFC').toLowerCase());
  if (ascii === '' || ascii.length > 253) return undefined;
  const labels = ascii.split('.');
  return labels.length >= 2 &&
    labels.every((label) => LABEL.test(label)) &&
    !/^\d+$/.test(labels.at(-1) ?? '')
    ? ascii
    : undefined;
}

/**
 * Normalises an address for comparison, or `undefined` when it is not a sane address: over 254 characters,
 * not exactly one `@`, a quoted or malformed local part, or a domain that is not a valid host name.
 */
export function normalizeEmail(raw: string): NormalizedEmail | undefined {
  // Not trimmed: Cognito keeps the value as sent, so ` a@b.example` is not `a@b.example`.
  const email = raw;
  if (email.length === 0 || email.length > EmailLimits.maxLength) return undefined;
  const at = email.indexOf('@');
  if (at < 1 || at !== email.lastIndexOf('@')) return undefined;
  const typedLocal = email.slice(0, at).toLowerCase();
  const local = typedLocal.normalize('NFC');
  if (local.length > EmailLimits.maxLocalLength || !LOCAL_PART.test(local)) return undefined;
  const typedDomain = email.slice(at + 1).toLowerCase();
  const domain = normalizeDomain(typedDomain);
  if (domain === undefined) return undefined;
  const address = `${local}@${domain}`;
  const canonical =
    typedLocal === local && (typedDomain === domain || typedDomain === domainToUnicode(domain));
  // Punycode can make an IDN domain longer than it was typed; the bound holds for the ASCII form too.
  return address.length > EmailLimits.maxLength ? undefined : { address, local, domain, canonical };
}

// The IDNA deviation characters: IDNA2008 (this module, and Node) keeps them, IDNA2003 maps them (ß to `ss`, ς to
// σ), so a domain holding one names two domains, depending on the software that sends to it.
const DEVIATIONS = /[ßς]/u;

/**
 * Every domain a normalised `domain` may reach: itself, and where it holds `ß` or `ς` also the domain IDNA2003
 * reads (`straße.example` is `xn--strae-oqa.example` today, `strasse.example` to older mail software). A rule
 * that blocks a domain blocks any reading of it; one that allows a domain allows it only if it allows every
 * reading.
 *
 * @example
 * domainReadingsOf('xn--abymail-2va.com'); // ['xn--abymail-2va.com', 'abyssmail.com']
 */
export function domainReadingsOf(domain: string): readonly string[] {
  const unicode = domainToUnicode(domain);
  if (!DEVIATIONS.test(unicode)) return [domain];
  const older = normalizeDomain(unicode.replaceAll('ß', 'ss').replaceAll('ς', 'σ'));
  return older === undefined || older === domain ? [domain] : [domain, older];
}

/**
 * Whether `domain` (already normalised) matches a rule entry: `example.com` matches exactly that domain;
 * `*.example.com` matches every sub-domain of it (not the apex). List both to match both.
 */
export function domainMatches(domain: string, entry: string): boolean {
  if (entry.startsWith('*.')) return domain.endsWith(entry.slice(1));
  return domain === entry;
}

/**
 * Normalises a configured domain entry (`*.Bücher.example.` -> `*.xn--bcher-kva.example`), or `undefined`
 * when it is not one.
 */
export function normalizeDomainEntry(entry: string): string | undefined {
  if (!entry.startsWith('*.')) return normalizeDomain(entry);
  // A wildcard may cover a whole top-level domain (`*.xyz`): normalise it under a placeholder label.
  const domain = normalizeDomain(`x.${entry.slice(2)}`)?.slice(2);
  return domain === undefined ? undefined : `*.${domain}`;
}

const ENTRY_DESCRIPTION = 'domains (example.com) or sub-domain wildcards (*.example.com)';

/**
 * Normalises configured domain entries (`Example.COM.` -> `example.com`, `*.Bücher.example` ->
 * `*.xn--bcher-kva.example`). `example.com` matches that domain only, `*.example.com` its sub-domains only.
 * @throws OptionsError naming `option` for an entry that is not one.
 */
export function domainEntriesOf(entries: unknown, option: string): readonly string[] {
  if (!Array.isArray(entries)) throw new OptionsError(option, `a list of ${ENTRY_DESCRIPTION}`);
  return entries.map((entry: unknown) => {
    const normalized = typeof entry === 'string' ? normalizeDomainEntry(entry) : undefined;
    if (normalized === undefined) throw new OptionsError(option, `a list of ${ENTRY_DESCRIPTION}`);
    return normalized;
  });
}

/**
 * Reads a comma-separated list of domain entries from `env[name]`, normalised (see {@link domainEntriesOf}).
 * @throws ConfigurationError naming the variable.
 */
export function readDomainEntries(env: Env, name: string): readonly string[] {
  try {
    return domainEntriesOf(readList(env, name), name);
  } catch (error) {
    if (error instanceof OptionsError) throw new ConfigurationError(name, error.expected, { cause: error });
    throw error;
  }
}

/**
 * The normalised domain of an address, or `undefined` when it has none. An address shared/email.ts refuses
 * (requireValidAttributes rejects it, unless that rule runs in shadow mode) is judged by the part after its
 * last `@`, so a quoted local part cannot slip a blocked domain through.
 */
export function domainOfAddress(address: string): string | undefined {
  const normalized = normalizeEmail(address);
  if (normalized !== undefined) return normalized.domain;
  const at = address.lastIndexOf('@');
  return at < 1 ? undefined : normalizeDomain(address.slice(at + 1));
}
