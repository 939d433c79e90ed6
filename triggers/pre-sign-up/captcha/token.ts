/**
 * The captcha token as a client sends it: where in ValidationData, and what the captcha rule accepts as one.
 * The local recorder's anonymizer reads the same shape, so a recorded token decides as it did.
 */

/** The ValidationData key the client puts its captcha token under. */
export const CAPTCHA_TOKEN_KEY = 'captchaToken';

/**
 * The longest token accepted: both Turnstile's documented token maximum and the ValidationData value limit
 * (contract §5).
 */
export const CAPTCHA_TOKEN_MAX_LENGTH = 2048;

/** Base64, base64url, JWT-like and dotted tokens as the three providers issue them; no spaces or controls. */
export const CAPTCHA_TOKEN_PATTERN = /^[A-Za-z0-9_.~+/=:*-]*$/;
