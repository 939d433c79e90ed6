/**
 * cognito-local's Lambda service, replaced: it builds the event Cognito would send (local/cognito-events.ts),
 * calls the function through the Lambda Invoke API the way Cognito does (5 s per attempt, up to three
 * attempts on time-outs, harness/cognito-simulator.ts), and judges the answer by Cognito's rules, so the API
 * caller gets Cognito's exception and message (`UserLambdaValidationException: PreSignUp failed with error
 * …`), where cognito-local would name the function and call a custom message failure a default message.
 */
import {
  type CognitoSimulationOptions,
  type SimulatedCall,
  simulateCognitoCall,
} from '../harness/cognito-simulator.js';
import { TriggerName } from '../shared/trigger-source.js';
import { type CognitoEvent, type CognitoLocalTriggerParams, cognitoEventOf } from './cognito-events.js';
import { LambdaInvokeError, TriggerNotConfiguredError } from './errors.js';
import { lambdaInvokeClient } from './lambda-invoke-client.js';
import { cognitoRequestContext } from './request-context.js';

/** One trigger call as Cognito made it: the event, every attempt, and what the API caller saw. */
export type TriggerCallReport = {
  trigger: TriggerName;
  functionName: string;
  /** The API operation that caused it (`SignUp`, `ConfirmSignUp`, …), when known. */
  operation: string | undefined;
  event: CognitoEvent;
  call: SimulatedCall;
};

/** cognito-local's error class: `code` becomes the `__type` its server answers with. */
export type CognitoErrorClass = new (code: string, message: string) => Error;

/** Options of {@link cognitoLambda}. */
export type CognitoLambdaOptions = {
  /** The Lambda Invoke API base URL. */
  endpoint: string;
  /** The function of each trigger (cognito-local's `TriggerFunctions`). */
  functions: Readonly<Partial<Record<string, string>>>;
  region: string;
  /** How the simulated Cognito judges answers (the pool's email account, time-outs, …). */
  simulation?: Partial<CognitoSimulationOptions>;
  CognitoError: CognitoErrorClass;
  onTriggerCall?: (report: TriggerCallReport) => void;
};

/** The interface cognito-local's triggers call (`Lambda` in cognito-local/lib/services/lambda). */
export type CognitoLocalLambda = {
  enabled(trigger: string): boolean;
  invoke(ctx: unknown, trigger: string, params: CognitoLocalTriggerParams): Promise<Record<string, unknown>>;
};

/** What the custom message response becomes once Cognito chose, field by field, custom or default text. */
function deliveredResponse(call: SimulatedCall): Record<string, unknown> {
  const outcome = call.cognito;
  if (outcome.outcome !== 'success') return {};
  const { response, delivery } = outcome;
  if (delivery === undefined) return response;
  return {
    emailMessage: delivery.email === 'custom' ? response.emailMessage : null,
    emailSubject: delivery.emailSubject === 'custom' ? response.emailSubject : null,
    smsMessage: delivery.sms === 'custom' ? response.smsMessage : null,
  };
}

/**
 * The Lambda service for cognito-local.
 *
 * @example
 * const lambda = cognitoLambda({ endpoint, functions: { PreSignUp: 'PreSignUpFunction' }, region, CognitoError });
 * const triggers = new TriggersService(clock, cognito, lambda, undefined);
 */
export function cognitoLambda(options: CognitoLambdaOptions): CognitoLocalLambda {
  const functionOf = (trigger: string) =>
    Object.hasOwn(TriggerName, trigger) ? options.functions[trigger] : undefined;

  async function callFunction(
    trigger: TriggerName,
    functionName: string,
    event: CognitoEvent,
  ): Promise<SimulatedCall> {
    const invoker = lambdaInvokeClient({ endpoint: options.endpoint, functionName });
    try {
      return await simulateCognitoCall(invoker, event, options.simulation);
    } catch (error) {
      if (!(error instanceof LambdaInvokeError)) throw error;
      // Lambda could not run the function at all: not retried (contract §6), reported as in the re:Post case.
      return {
        trigger,
        attempts: 1,
        cognito: {
          outcome: 'error',
          errorType: 'UnexpectedLambdaException',
          message: `${trigger} invocation failed due to error ${error.errorType}.`,
        },
        invocations: [],
      };
    }
  }

  return {
    enabled: (trigger) => functionOf(trigger) !== undefined,
    async invoke(_ctx, triggerName, params) {
      const functionName = functionOf(triggerName);
      if (functionName === undefined) throw new TriggerNotConfiguredError(triggerName);
      const trigger = triggerName as TriggerName;
      const context = cognitoRequestContext.getStore();
      const event = cognitoEventOf(trigger, params, { region: options.region, context });
      const call = await callFunction(trigger, functionName, event);
      options.onTriggerCall?.({ trigger, functionName, operation: context?.operation, event, call });
      const outcome = call.cognito;
      if (outcome.outcome === 'error') throw new options.CognitoError(outcome.errorType, outcome.message);
      if (trigger === 'PreSignUp' && outcome.effective !== undefined) {
        if (context !== undefined && outcome.effective.autoConfirmUser) context.autoConfirmed = true;
        // cognito-local acts on what it gets back: only the flags Cognito honours (none for AdminCreateUser).
        return { ...outcome.response, ...outcome.effective };
      }
      return deliveredResponse(call);
    },
  };
}
