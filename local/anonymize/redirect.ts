/**
 * The redirect faker: a ClientMetadata `redirectUri` on an allowed origin keeps its origin and path (its
 * query and fragment faked, known values in its path replaced), as verification-link.ts would keep it; any
 * other URL becomes one the link leaves out too.
 */
import type { FreeValueFakers } from './free-value.js';
import type { ValueRegistry } from './registry.js';
import { fitted } from './shape.js';

// What verification-link.ts reads and keeps of a redirect.
const REDIRECT_MAX_LENGTH = 2048;
const REDIRECT_HREF_MAX_LENGTH = 1024;

/** The origin of an allowed-origin entry as verification-link.ts compares it, or `undefined`. */
export function originOf(entry: string): string | undefined {
  const url = URL.canParse(entry) ? new URL(entry) : undefined;
  return url === undefined || url.origin === 'null' ? undefined : url.origin;
}

/** What {@link redirectFaker} needs. */
export type RedirectFakerDependencies = {
  registry: ValueRegistry;
  /** The origins of `ALLOWED_REDIRECT_ORIGINS` ({@link originOf}). */
  allowedOrigins: ReadonlySet<string>;
  freeValues: FreeValueFakers;
  /** The free-text pass (free-text.ts), for the path of a kept redirect. */
  replaceKnownValues: (text: string) => string;
};

/**
 * The redirect faker of one anonymizer.
 *
 * @example
 * const fakeRedirect = redirectFaker({ registry, allowedOrigins, freeValues, replaceKnownValues });
 * fakeRedirect('https://app.example.com/hi?ref=maria'); // 'https://app.example.com/hi?ref=fake-ref-1'
 */
export function redirectFaker(dependencies: RedirectFakerDependencies): (real: string) => string {
  const { registry, allowedOrigins, replaceKnownValues } = dependencies;
  const { fakeFreeValue } = dependencies.freeValues;
  const { stable, cached, remember } = registry;

  return function fakeRedirect(real: string): string {
    const url = URL.canParse(real) ? new URL(real) : undefined;
    const kept =
      url !== undefined &&
      allowedOrigins.has(url.origin) &&
      url.username === '' &&
      url.password === '' &&
      real.length <= REDIRECT_MAX_LENGTH &&
      url.href.length <= REDIRECT_HREF_MAX_LENGTH;
    if (url === undefined || !kept) {
      // Left out of the link either way: any URL the link also leaves out (an origin nobody allows).
      return remember(
        real,
        stable('redirect', real, (n) =>
          fitted(url === undefined ? `fake-redirectUri-${n}` : `https://redirect-${n}.invalid/`, real),
        ),
      );
    }
    const fake = cached('redirect', real, () => {
      const query = new URLSearchParams();
      for (const [name, value] of url.searchParams) query.append(name, fakeFreeValue('query', name, value));
      const search = query.size === 0 ? '' : `?${query.toString()}`;
      const hash = url.hash === '' ? '' : `#${fakeFreeValue('fragment', 'fragment', url.hash.slice(1))}`;
      return `${url.origin}${replaceKnownValues(url.pathname)}${search}${hash}`;
    });
    remember(url.href, new URL(fake).href);
    return remember(real, fake);
  };
}
