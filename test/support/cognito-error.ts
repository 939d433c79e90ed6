/** cognito-local's error class, in shape: `code` becomes the API caller's exception name. */
export class CognitoError extends Error {
  public readonly code: string;

  public constructor(code: string, message: string) {
    super(message);
    this.name = 'CognitoError';
    this.code = code;
  }
}
