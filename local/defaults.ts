/**
 * The local pipeline's defaults that its command line needs before the pipeline itself is loaded (cli/start.ts
 * loads local/pipeline.ts only once its arguments are checked).
 */

/** The env-vars file of `npm start` unless `--env-vars` names another (relative to the project root). */
export const DEFAULT_PIPELINE_ENV_VARS = 'local/env.local.json';
