/**
 * The custom email sender as deployed, but with the AWS Encryption SDK evaluated at init (a top-level import)
 * instead of on the first decryption (shared/custom-sender/code-cipher.ts loads it lazily): the bench row
 * that shows what the lazy load saves a cold start that does decrypt, and costs none that does not.
 */
import '@aws-crypto/client-node';

export { handler } from '../../triggers/custom-email-sender/handler.js';
