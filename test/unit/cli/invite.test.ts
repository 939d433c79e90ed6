import { afterEach, describe, expect, it, vi } from 'vitest';
import { verifyInvite } from '../../../shared/invite.js';
import { runCli } from './run-cli.js';

const SECRET = 'cli-test-invite-secret-0123456789abcdef';
const PREVIOUS = 'cli-test-previous-secret-0123456789abcd';

function payloadOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'));
}

describe('CLI: invite', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('prints only a token that verifies for the email and carries the claims, and exits 0', () => {
    // Prepare
    const args = [
      '--email',
      'Jane@Example.com',
      '--ttl',
      '7d',
      '--claim',
      'tenant=acme',
      '--claim',
      'group=a=b',
    ];

    // Act
    const run = runCli('invite', [...args, '--secret', SECRET]);

    // Assess
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}\n$/);
    expect(verifyInvite(run.stdout.trim(), { email: 'jane@example.com', secrets: [SECRET] })).toMatchObject({
      ok: true,
      claims: { tenant: 'acme', group: 'a=b' },
    });
  });

  it('binds the invite to --pool: that pool accepts it, another pool with the same secret refuses it', () => {
    // Prepare
    const args = ['--email', 'jane@example.com', '--ttl', '1d', '--pool', 'us-east-1_Prod12345'];

    // Act
    const run = runCli('invite', [...args, '--secret', SECRET]);

    // Assess
    const verify = (userPoolId: string) =>
      verifyInvite(run.stdout.trim(), { email: 'jane@example.com', secrets: [SECRET], userPoolId });
    expect({
      status: run.status,
      pool: payloadOf(run.stdout.trim()).pool,
      own: verify('us-east-1_Prod12345').ok,
      other: verify('us-east-1_Stage1234'),
    }).toEqual({
      status: 0,
      pool: 'us-east-1_Prod12345',
      own: true,
      other: { ok: false, reason: 'pool' },
    });
  });

  it.each([
    ['3600s', 3600],
    ['30m', 1800],
    ['12h', 43_200],
    ['7d', 604_800],
  ])('reads --ttl %s as %i seconds', (ttl, seconds) => {
    // Prepare
    const args = ['--email', 'jane@example.com', '--ttl', ttl, '--secret', SECRET];

    // Act
    const run = runCli('invite', args);

    // Assess
    const payload = payloadOf(run.stdout.trim());
    expect((payload.exp as number) - (payload.iat as number)).toBe(seconds);
  });

  it('signs with the first secret of INVITE_SECRET when --secret is absent', () => {
    // Prepare
    vi.stubEnv('INVITE_SECRET', JSON.stringify([SECRET, PREVIOUS]));

    // Act
    const run = runCli('invite', ['--email', 'jane@example.com', '--ttl', '1h']);

    // Assess
    expect(run.status).toBe(0);
    expect(verifyInvite(run.stdout.trim(), { email: 'jane@example.com', secrets: [SECRET] }).ok).toBe(true);
  });

  it('mints the same token twice from --issued-at and --expires, for recorded fixtures', () => {
    // Prepare
    const args = [
      '--email',
      'jane@example.com',
      '--issued-at',
      '2026-01-01T00:00:00Z',
      '--expires',
      '2099-12-31T23:59:59Z',
      '--secret',
      SECRET,
    ];

    // Act
    const first = runCli('invite', args);
    const second = runCli('invite', args);

    // Assess
    expect(first.stdout).toBe(second.stdout);
    expect(payloadOf(first.stdout.trim())).toMatchObject({ iat: 1_767_225_600, exp: 4_102_444_799 });
  });

  it.each([
    ['no --email', ['--ttl', '1d', '--secret', SECRET], '--email'],
    ['no lifetime', ['--email', 'jane@example.com', '--secret', SECRET], '--ttl'],
    [
      'both --ttl and --expires',
      ['--email', 'j@example.com', '--ttl', '1d', '--expires', '2099-01-01', '--secret', SECRET],
      '--expires',
    ],
    ['a bare number as --ttl', ['--email', 'jane@example.com', '--ttl', '3600', '--secret', SECRET], '--ttl'],
    ['a zero --ttl', ['--email', 'jane@example.com', '--ttl', '0d', '--secret', SECRET], '--ttl'],
    [
      'an --expires before the issue time',
      ['--email', 'j@example.com', '--expires', '2020-01-01', '--secret', SECRET],
      '--expires',
    ],
    [
      'a date that is not ISO 8601',
      ['--email', 'j@example.com', '--expires', 'tomorrow', '--secret', SECRET],
      '--expires',
    ],
    ['an address that is not one', ['--email', 'jane', '--ttl', '1d', '--secret', SECRET], 'email'],
    [
      'a --pool that is not a user pool id',
      ['--email', 'j@example.com', '--ttl', '1d', '--pool', 'prod pool', '--secret', SECRET],
      'userPoolId',
    ],
    [
      'a claim without =',
      ['--email', 'jane@example.com', '--ttl', '1d', '--claim', 'tenant', '--secret', SECRET],
      '--claim',
    ],
    [
      'a claim given twice',
      ['--email', 'j@example.com', '--ttl', '1d', '--claim', 'a=1', '--claim', 'a=2', '--secret', SECRET],
      '--claim',
    ],
    [
      'a claim key starting with _',
      ['--email', 'j@example.com', '--ttl', '1d', '--claim', '_a=1', '--secret', SECRET],
      'claim keys',
    ],
    [
      'an unknown option',
      ['--email', 'jane@example.com', '--ttl', '1d', '--secret', SECRET, '--bogus'],
      '--bogus',
    ],
    ['a stray argument', ['jane@example.com', '--ttl', '1d', '--secret', SECRET], 'unexpected argument'],
  ])('exits 2 with nothing on stdout for %s', (_case, args, mentioned) => {
    // Prepare
    vi.stubEnv('INVITE_SECRET', '');

    // Act
    const run = runCli('invite', args);

    // Assess
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(mentioned);
  });

  it('exits 2 when there is no secret at all', () => {
    // Prepare
    vi.stubEnv('INVITE_SECRET', '');

    // Act
    const run = runCli('invite', ['--email', 'jane@example.com', '--ttl', '1d']);

    // Assess
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('INVITE_SECRET');
  });

  it('exits 2 for a short secret without printing it', () => {
    // Prepare
    const secret = 'too-short-secret';

    // Act
    const run = runCli('invite', ['--email', 'jane@example.com', '--ttl', '1d', '--secret', secret]);

    // Assess
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('32 bytes');
    expect(run.stderr).not.toContain(secret);
  });

  it('prints the usage on --help and exits 0', () => {
    // Prepare
    const args = ['--help'];

    // Act
    const run = runCli('invite', args);

    // Assess
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('Usage: npm run --silent invite --');
  });
});
