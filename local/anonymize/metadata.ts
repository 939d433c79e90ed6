/**
 * The caller-value fakers: a ValidationData or ClientMetadata value becomes `fake-<key>-N`, except the few
 * values the triggers' outcome needs that carry nothing personal: a captcha token, a locale tag, a redirect
 * on an allowed origin, an invite minted again (invite.ts, redirect.ts).
 */
import { ValidationDataFields } from '../../shared/caller-keys.js';
import type { MetadataSource } from '../../shared/errors.js';
import { CallerValue } from '../../shared/settings.js';
import type { FreeValueFakers } from './free-value.js';
import { isLocaleTag } from './shape.js';

/** What {@link callerValueFakers} needs. */
export type CallerValueFakerDependencies = {
  freeValues: FreeValueFakers;
  fakeInvite: (token: string, signUpEmail: string | undefined) => string;
  fakeRedirect: (real: string) => string;
  /** What each caller key holds, as the rules and actions declare it (local/declared-settings.ts). */
  callerKeys: Readonly<Record<MetadataSource, Readonly<Record<string, CallerValue>>>>;
};

/** The caller-value fakers of one anonymizer. */
export type CallerValueFakers = {
  /** A ValidationData value; `signUpEmail` is the event's `email` attribute, an invite's address to check. */
  fakeValidationData(key: string, value: string, signUpEmail: string | undefined): string;
  fakeClientMetadata(key: string, value: string): string;
};

/**
 * The caller-value fakers of one anonymizer.
 *
 * @example
 * const { fakeClientMetadata } = callerValueFakers({ freeValues, fakeInvite, fakeRedirect });
 * fakeClientMetadata('locale', 'pt-BR'); // 'pt-BR'
 */
export function callerValueFakers(dependencies: CallerValueFakerDependencies): CallerValueFakers {
  const { freeValues, fakeInvite, fakeRedirect, callerKeys } = dependencies;
  const { fakeFreeValue, shapeFaithful } = freeValues;

  function kindOf(source: MetadataSource, key: string): CallerValue {
    const kinds = callerKeys[source];
    return Object.hasOwn(kinds, key) ? (kinds[key] ?? CallerValue.Free) : CallerValue.Free;
  }

  // One faker per kind of value; a kind added to CallerValue does not compile until it has one here.
  function fakeCallerValue(
    source: MetadataSource,
    key: string,
    value: string,
    signUpEmail: string | undefined,
  ): string {
    if (value === '') return value;
    const kind = kindOf(source, key);
    switch (kind) {
      case CallerValue.Invite:
        return fakeInvite(value, signUpEmail);
      case CallerValue.CaptchaToken: {
        // An opaque, single-use provider token: nothing personal, and what the provider judged.
        const { pattern, maxLength } = ValidationDataFields.captchaToken;
        const valid = pattern.test(value) && value.length <= maxLength;
        return valid ? value : shapeFaithful(source, key, value, false);
      }
      case CallerValue.Locale:
        return isLocaleTag(value) ? value : shapeFaithful(source, key, value, false);
      case CallerValue.RedirectUri:
        return fakeRedirect(value);
      case CallerValue.Free:
        return fakeFreeValue(source, key, value);
      default:
        return assertNever(kind);
    }
  }

  function fakeValidationData(key: string, value: string, signUpEmail: string | undefined): string {
    return fakeCallerValue('validationData', key, value, signUpEmail);
  }

  function fakeClientMetadata(key: string, value: string): string {
    return fakeCallerValue('clientMetadata', key, value, undefined);
  }

  return { fakeValidationData, fakeClientMetadata };
}

function assertNever(kind: never): never {
  throw new TypeError(`No faker for caller values of kind ${String(kind)}`);
}
