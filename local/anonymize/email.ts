/**
 * The email faker: the local part becomes `userN`; the domain is kept only when a configured domain rule (or,
 * with `BLOCK_DISPOSABLE_EMAILS`, the throwaway list) decides on it, and otherwise becomes `example.com`,
 * `example.org`, … (distinct domains stay distinct). A malformed address stays malformed.
 */
import { disposableEmailBlocklist } from 'disposable-email-domains-js';
import { domainMatches, normalizeEmail } from '../../shared/email.js';
import type { ValueRegistry } from './registry.js';
import { CONTROL, fitted } from './shape.js';

// Fake domains in order of use; past these, `mailN.example` (RFC 2606).
const FAKE_DOMAINS = ['example.com', 'example.org', 'example.net'];

let disposableDomains: ReadonlySet<string> | undefined;

/** Whether `domain` (normalised) or a parent of it is on the bundled throwaway list. */
function isDisposable(domain: string): boolean {
  disposableDomains ??= new Set(disposableEmailBlocklist());
  for (let candidate = domain; ; ) {
    if (disposableDomains.has(candidate)) return true;
    const dot = candidate.indexOf('.');
    if (dot === -1) return false;
    candidate = candidate.slice(dot + 1);
  }
}

/** What {@link emailFaker} needs. */
export type EmailFakerDependencies = {
  registry: ValueRegistry;
  /** The run's domain rule entries, normalised (shared/email.ts `domainEntriesOf`). */
  domainRules: readonly string[];
  /** Keep the domains on the bundled throwaway list. */
  keepDisposableDomains: boolean;
};

/**
 * The email faker of one anonymizer.
 *
 * @example
 * const fakeEmail = emailFaker({ registry, domainRules: ['blocked.example'], keepDisposableDomains: false });
 * fakeEmail('jane@realcorp.com'); // 'user1@example.com'
 */
export function emailFaker(dependencies: EmailFakerDependencies): (real: string) => string {
  const { registry, domainRules, keepDisposableDomains } = dependencies;
  const { stable, remember } = registry;

  function keepsDomain(domain: string): boolean {
    if (domainRules.some((entry) => domainMatches(domain, entry))) return true;
    return keepDisposableDomains && isDisposable(domain);
  }

  function fakeDomainOf(domain: string): string {
    return stable(
      'domain',
      domain,
      (n) => {
        // A fake domain must not fall under a rule itself, or the rule would decide on the fake.
        const candidates = [
          ...FAKE_DOMAINS,
          ...Array.from({ length: n }, (_, index) => `mail${index + 1}.example`),
        ];
        const free = candidates.filter((candidate) => !keepsDomain(candidate));
        return free[n - 1] ?? `mail${n}.example`;
      },
      true,
    );
  }

  return function fakeEmail(real: string): string {
    const email = normalizeEmail(real);
    if (email === undefined || /\s/u.test(real) || CONTROL.test(real)) {
      // Malformed stays malformed (no `@`), with its control character and length.
      return remember(
        real,
        stable('email', real, (n) => fitted(`fake-email-${n}`, real)),
      );
    }
    const local = stable('email-address', email.address, (n) => `user${n}`);
    const typedDomain = real.slice(real.lastIndexOf('@') + 1);
    const domain = keepsDomain(email.domain) ? typedDomain : fakeDomainOf(email.domain);
    return remember(real, `${local}@${domain}`);
  };
}
