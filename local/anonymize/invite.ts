/**
 * The invite faker: a signed invite is minted again for the fake address with the recording's fake secret,
 * valid if it was valid (until 2099), expired if it was expired, forged if it was forged; a malformed one
 * stays malformed.
 */
import { createInvite, INVITE_TOKEN_ALPHABET, verifyInvite } from '../../shared/invite.js';
import { isObject } from '../../shared/parse-event.js';
import type { FreeValueFakers } from './free-value.js';
import type { ValueRegistry } from './registry.js';

/** Signs invites that were forged: they stay forged (the recording's secret does not match). */
export const FORGER_SECRET = 'recorded-forged-invite-secret-not-for-production-01';
// 2099-12-31T23:59:59Z: a recorded valid invite stays valid for replays.
const FAR_FUTURE = 4_102_444_799;
const INVITE_SHAPE = /^v1\.([A-Za-z0-9_-]{1,1000})\.([A-Za-z0-9_-]{43})$/;
// Service-model bound on a ValidationData value (AttributeType.Value).
const VALIDATION_DATA_VALUE_MAX = 2048;

type InvitePayload = { email: string; exp: number; iat: number; claims?: Record<string, unknown> };

function invitePayloadOf(token: string): InvitePayload | undefined {
  const part = INVITE_SHAPE.exec(token)?.[1];
  if (part === undefined) return undefined;
  try {
    const payload = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as InvitePayload;
    return isObject(payload) &&
      typeof payload.email === 'string' &&
      Number.isSafeInteger(payload.exp) &&
      Number.isSafeInteger(payload.iat)
      ? payload
      : undefined;
  } catch {
    return undefined;
  }
}

/** What {@link inviteFaker} needs. */
export type InviteFakerDependencies = {
  registry: ValueRegistry;
  /** The run's invite secrets (long enough to verify with), current first. */
  secrets: readonly string[];
  /** The secret genuine invites are signed with again. */
  resignSecret: string;
  /** The time invites are checked at. */
  now: () => Date;
  fakeEmail: (real: string) => string;
  freeValues: FreeValueFakers;
};

/**
 * The invite faker of one anonymizer: `(token, signUpEmail)` to the invite for the fake address, deciding
 * as the real one did for the real address.
 *
 * @example
 * const fakeInvite = inviteFaker({ registry, secrets: [live], resignSecret, now, fakeEmail, freeValues });
 * fakeInvite(token, 'jane@realcorp.com'); // an invite for user1@example.com, valid until 2099
 */
export function inviteFaker(
  dependencies: InviteFakerDependencies,
): (token: string, signUpEmail: string | undefined) => string {
  const { registry, secrets, resignSecret, now, fakeEmail } = dependencies;
  const { fakeFreeValue, shapeFaithful } = dependencies.freeValues;
  const { cached, remember } = registry;

  return function fakeInvite(token: string, signUpEmail: string | undefined): string {
    const payload = invitePayloadOf(token);
    const verdict =
      payload === undefined || secrets.length === 0
        ? undefined
        : verifyInvite(token, { email: signUpEmail ?? payload.email, secrets, now: now() });
    if (payload === undefined || (verdict !== undefined && !verdict.ok && verdict.reason === 'malformed')) {
      // Not a token at all: any malformed one of the same alphabet and length decides the same.
      const valid = INVITE_TOKEN_ALPHABET.test(token) && token.length <= VALIDATION_DATA_VALUE_MAX;
      return remember(token, shapeFaithful('validationData', 'invite', token, valid));
    }
    return remember(
      token,
      cached('invite', token, () => {
        // Without the run's secrets the verdict is unknown: forged is the only safe guess.
        const genuine = verdict !== undefined && (verdict.ok || verdict.reason !== 'signature');
        const ttlSeconds =
          verdict?.ok === true ? FAR_FUTURE - payload.iat : Math.max(1, payload.exp - payload.iat);
        const claims = Object.fromEntries(
          Object.entries(isObject(payload.claims) ? payload.claims : {}).map(([key, value]) => [
            key,
            fakeFreeValue('claim', key, String(value)),
          ]),
        );
        try {
          return createInvite({
            email: fakeEmail(payload.email),
            ttlSeconds,
            claims,
            now: new Date(payload.iat * 1000),
            secret: genuine ? resignSecret : FORGER_SECRET,
          });
        } catch {
          // A payload the minting side refuses (an odd claim, a bad address): a refused token, as before.
          return shapeFaithful('validationData', 'invite', token, true);
        }
      }),
    );
  };
}
