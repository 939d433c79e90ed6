/**
 * Loads a module the bundle leaves external (the AWS SDK, which the Lambda runtime ships), on first use.
 */

/**
 * In the CommonJS bundle Lambda runs, `require` resolves through `NODE_PATH` to the runtime's SDK; an
 * `import()` would go through ES module resolution, which ignores `NODE_PATH`. In an ES module context
 * (tests, tsx) there is no `require`, and `import()` finds the pinned copy in node_modules.
 *
 * @example
 * const { SSMClient } = await loadExternalModule<typeof import('@aws-sdk/client-ssm')>('@aws-sdk/client-ssm');
 */
export async function loadExternalModule<T>(specifier: string): Promise<T> {
  if (typeof require === 'function') return require(specifier) as T;
  return (await import(specifier)) as T;
}
