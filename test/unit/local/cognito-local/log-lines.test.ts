import { describe, expect, it } from 'vitest';
import { logLineOf } from '../../../../local/cognito-local/log-lines.js';

describe('Cognito-local: logLineOf', () => {
  it('shows a warning with the error cognito-local answered, its addresses masked', () => {
    // Prepare
    const json = JSON.stringify({
      level: 40,
      msg: 'Error handling target: AdminGetUser',
      err: { type: 'Error', code: 'UserNotFoundException', message: 'User jane@example.com does not exist' },
    });

    // Act
    const line = logLineOf(json);

    // Assess
    expect(line).toBe(
      'warn Error handling target: AdminGetUser (UserNotFoundException: User j***@example.com does not exist)',
    );
  });

  it('ignores a line that is not JSON', () => {
    // Prepare
    const json = 'not json';

    // Act
    const line = logLineOf(json);

    // Assess
    expect(line).toBeUndefined();
  });
});
