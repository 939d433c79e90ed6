/**
 * The Node.js entry of `@cognito-sign-up-triggers/client` for an app's backend: mint the signed invitations
 * the pre sign-up trigger accepts in ValidationData `invite`, and check one (for an invitation page). Uses
 * `node:crypto` and `node:url`: never import it into a browser bundle (docs/client.md).
 */
export {
  type CreateInviteOptions,
  createInvite,
  INVITE_TOKEN_ALPHABET,
  type InviteClaims,
  InviteFailureReason,
  InviteLimits,
  type InviteVerification,
  type VerifyInviteOptions,
  verifyInvite,
} from '../../../shared/invite.js';
export { OptionsError } from '../../../shared/options.js';
