/**
 * Masking for anything user-derived that has to reach a log line (docs/errors-and-logging.md, "Logging and data protection").
 */

/** `alice@example.com` -> `a***@example.com`; anything that is not an address -> `***`. */
export function maskEmail(email: unknown): string {
  if (typeof email !== 'string') return '***';
  const at = email.lastIndexOf('@');
  if (at < 1 || at === email.length - 1) return '***';
  const domain = email.slice(at + 1);
  return `${Array.from(email)[0]}***@${domain.length > 255 ? `${domain.slice(0, 255)}…` : domain}`;
}

/** `+15555550123` -> `***23`: only the last two digits survive. */
export function maskPhone(phone: unknown): string {
  if (typeof phone !== 'string') return '***';
  const digits = phone.replace(/\D/g, '');
  return digits.length < 6 ? '***' : `***${digits.slice(-2)}`;
}

/** Any other user-derived value: its length only. */
export function maskValue(value: unknown): string {
  return typeof value === 'string' ? `***(${value.length})` : '***';
}
