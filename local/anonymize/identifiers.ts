/**
 * The identifier fakers: a `sub` or user name gets a fixed-pattern UUID (a user name that is an email or a
 * phone number is faked as one, a federated one keeps its provider prefix), the pool id `<region>_EXAMPLE`,
 * the app client id a fixed fake id.
 */
import { E164 } from './phone.js';
import type { ValueRegistry } from './registry.js';

const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d$/;
const BUILT_IN_PROVIDERS = ['Google', 'Facebook', 'LoginWithAmazon', 'SignInWithApple'];
// The admin operations' client id (contract §1): a constant, not an id.
const NO_CLIENT = 'CLIENT_ID_NOT_APPLICABLE';

function uuidFor(n: number): string {
  return `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
}

/** What {@link identifierFakers} needs. */
export type IdentifierFakerDependencies = {
  registry: ValueRegistry;
  fakeEmail: (real: string) => string;
  fakePhone: (real: string) => string;
  /** Identity provider names beyond the built-in ones: kept as the prefix of a federated user name. */
  identityProviders: readonly string[];
};

/** The identifier fakers of one anonymizer. */
export type IdentifierFakers = {
  /** A `sub` (or any opaque id): a fixed-pattern UUID. */
  fakeId(real: string): string;
  fakeUserName(real: string): string;
  /** A user pool id; `region` is the event's, used when the id's own prefix is not a Region. */
  fakePoolId(real: string, region: unknown): string;
  fakeClientId(real: string): string;
};

/**
 * The identifier fakers of one anonymizer.
 *
 * @example
 * const { fakeUserName } = identifierFakers({ registry, fakeEmail, fakePhone, identityProviders: ['Corp'] });
 * fakeUserName('Corp_8a6f0c'); // 'Corp_100000000001'
 */
export function identifierFakers(dependencies: IdentifierFakerDependencies): IdentifierFakers {
  const { registry, fakeEmail, fakePhone } = dependencies;
  const { stable, remember } = registry;
  const providers = new Set([...BUILT_IN_PROVIDERS, ...dependencies.identityProviders]);

  function fakeId(real: string): string {
    return remember(real, stable('id', real, uuidFor));
  }

  function fakeUserName(real: string): string {
    const known = registry.replacements.get(real);
    if (known !== undefined) return known;
    if (real.includes('@')) return fakeEmail(real);
    if (E164.test(real)) return fakePhone(real);
    const federated = /^([^_]+)_(.+)$/.exec(real);
    if (federated?.[1] !== undefined && providers.has(federated[1])) {
      const prefix = federated[1];
      return remember(
        real,
        stable('id', real, (n) => `${prefix}_${String(100_000_000_000 + n)}`),
      );
    }
    return fakeId(real);
  }

  function fakePoolId(real: string, region: unknown): string {
    const prefix = real.slice(0, Math.max(0, real.indexOf('_')));
    const fakeRegion = REGION.test(prefix)
      ? prefix
      : typeof region === 'string' && REGION.test(region)
        ? region
        : 'us-east-1';
    return remember(
      real,
      stable('pool', real, (n) => `${fakeRegion}_EXAMPLE${n === 1 ? '' : n}`),
    );
  }

  function fakeClientId(real: string): string {
    if (real === NO_CLIENT) return real;
    return remember(
      real,
      stable('client', real, (n) => `${n}example23456789abcdefghij`),
    );
  }

  return { fakeId, fakeUserName, fakePoolId, fakeClientId };
}
