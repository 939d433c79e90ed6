/**
 * Pre sign-up: decides who may sign up and whether they are confirmed and verified. The rules and their
 * order are in ./trigger.ts.
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-pre-sign-up.html
 */
import { handlerOf } from '../../shared/define-trigger.js';
import { preSignUp } from './trigger.js';

/** The Lambda entry point. */
export const handler = handlerOf(preSignUp, process.env);
