/**
 * The environment variables the Lambda Node.js runtime sets for a function, for every local process that
 * runs a built bundle as Lambda would (the bundle invoker, the benchmarks).
 */

/** What the runtime variables say about the function. */
export type LambdaEnvironmentOptions = {
  functionName: string;
  memoryMb: number;
  /** The handler's export name in `_HANDLER` (`handler.<exportName>`). Default: `handler`. */
  exportName?: string;
};

/**
 * The Lambda variables a Node.js function can count on, without the function's own environment (callers
 * spread it on top). AWS_EXECUTION_ENV stays unset: it would switch the Tracer on, and there is no X-Ray
 * daemon to talk to locally.
 *
 * @example
 * const env = { ...lambdaEnvironment({ functionName: 'PreSignUpFunction', memoryMb: 256 }), ...functionEnv };
 */
export function lambdaEnvironment(options: LambdaEnvironmentOptions): Record<string, string> {
  const { functionName, memoryMb, exportName = 'handler' } = options;
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    TZ: ':UTC',
    LANG: 'en_US.UTF-8',
    AWS_REGION: 'us-east-1',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_LAMBDA_FUNCTION_NAME: functionName,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(memoryMb),
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${functionName}`,
    _HANDLER: `handler.${exportName}`,
  };
}
