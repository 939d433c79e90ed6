/**
 * Errors of the local tooling (template reader, build, recorded-event library). They describe a mistake in
 * `template.yaml`, an `--env-vars` file, a build setting or a fixture file, so their messages name the file
 * and key at fault.
 */

/** Base class of every harness error. */
export class HarnessError extends Error {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'HarnessError';
  }
}

/** `template.yaml` holds something the reader cannot use; `key` is the path within the template. */
export class TemplateError extends HarnessError {
  public readonly path: string;
  public readonly key: string;

  public constructor(path: string, key: string, problem: string, options?: ErrorOptions) {
    super(`${path}: ${key} ${problem}`, options);
    this.name = 'TemplateError';
    this.path = path;
    this.key = key;
  }
}

/** An `--env-vars` file (SAM format) has a bad shape; `key` is the path within the file. */
export class EnvVarsError extends HarnessError {
  public readonly key: string;

  public constructor(key: string, problem: string, options?: ErrorOptions) {
    super(`env-vars file: ${key} ${problem}`, options);
    this.name = 'EnvVarsError';
    this.key = key;
  }
}

/** A function's `BuildProperties` cannot be turned into esbuild options, or esbuild failed. */
export class BuildError extends HarnessError {
  public readonly logicalId: string;

  public constructor(logicalId: string, problem: string, options?: ErrorOptions) {
    super(`${logicalId}: ${problem}`, options);
    this.name = 'BuildError';
    this.logicalId = logicalId;
  }
}

/** A fixture file (recorded event or expectation) that cannot be read as one; `file` is its path. */
export class FixtureError extends HarnessError {
  public readonly file: string;

  public constructor(file: string, problem: string, options?: ErrorOptions) {
    super(`${file}: ${problem}`, options);
    this.name = 'FixtureError';
    this.file = file;
  }
}
