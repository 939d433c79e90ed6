/**
 * The captcha services the captcha rule verifies against (rules/verify-captcha.ts), and their verify APIs as
 * documented (all POST, form-encoded `secret` + `response`, JSON reply with a boolean `success`, `hostname`,
 * `challenge_ts` and `error-codes`):
 * - Turnstile: https://developers.cloudflare.com/turnstile/get-started/server-side-validation/ — endpoint
 *   `https://challenges.cloudflare.com/turnstile/v0/siteverify`; form or JSON; reply adds `action`, `cdata`;
 *   tokens are at most 2,048 characters and single-use; `internal-error` means "retry".
 * - reCAPTCHA: https://developers.google.com/recaptcha/docs/verify and https://developers.google.com/recaptcha/docs/v3
 *   — endpoint `https://www.google.com/recaptcha/api/siteverify`; form only; v3 replies add `score`
 *   (1.0 very likely a good interaction, 0.0 very likely a bot) and `action`.
 * - hCaptcha: https://docs.hcaptcha.com/#verify-the-user-response-server-side — endpoint
 *   `https://api.hcaptcha.com/siteverify`; form only; Enterprise replies add a `score` on hCaptcha's own
 *   risk scale, which the rule does not compare with `CAPTCHA_MIN_SCORE` (that threshold is reCAPTCHA's).
 */

/** The captcha services the captcha rule can verify against. */
export const CaptchaProvider = {
  Turnstile: 'turnstile',
  Recaptcha: 'recaptcha',
  Hcaptcha: 'hcaptcha',
} as const;

/** One of the supported captcha services. */
export type CaptchaProvider = (typeof CaptchaProvider)[keyof typeof CaptchaProvider];

/** Every supported captcha service. */
export const captchaProviders: readonly CaptchaProvider[] = Object.values(CaptchaProvider);

/** Each provider's documented server-side verify endpoint (see the file header for the pages). */
export const captchaVerifyUrls: Readonly<Record<CaptchaProvider, string>> = {
  turnstile: 'https://challenges.cloudflare.com/turnstile/v0/siteverify',
  recaptcha: 'https://www.google.com/recaptcha/api/siteverify',
  hcaptcha: 'https://api.hcaptcha.com/siteverify',
};
