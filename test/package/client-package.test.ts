/**
 * The client package as an app gets it: `npm pack` in packages/client (whose `prepack` builds dist/), the
 * tarball installed offline into a temporary project, and three consumers importing every public name of
 * every entry: TypeScript with `moduleResolution: bundler` (type-checked, then bundled by esbuild as an app's
 * bundler would: the browser-safe entries for the browser), TypeScript with `module`/`moduleResolution:
 * node16` (an ES module and a CommonJS file, compiled by tsc and run by node), and plain CommonJS `require`.
 * Each decodes the refusals the local pipeline (`npm start`) sends through the AWS SDK for JavaScript v3, the
 * AWS CLI and the JSON answer Amplify v6 reads, and each mints an invite the pipeline then accepts. The AWS
 * CLI refusal is left out, saying so, where `aws` is not installed (required in CI).
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type CognitoIdentityProviderClient,
  SignUpCommand,
  type SignUpCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../harness/paths.js';
import { CLIENT_PACKAGE_DIR, clientEntries } from '../../scripts/build-client.js';
import { ValidationDataKey } from '../../shared/caller-keys.js';
import { Rejections } from '../../shared/rejection-codes.js';
import { cognitoClientFor, PASSWORD, uniqueEmail } from '../e2e/support/clients.js';
import { type PipelineProcess, startPipelineProcess } from '../e2e/support/pipeline-process.js';
import { type CommandResult, localAwsEnvironment, runCommand, toolWorks } from '../e2e/support/tools.js';
import { runsHereOrSkips } from '../support/ci.js';
import {
  type ConsumerInput,
  type ConsumerOutput,
  consumerSource,
  type Flavor,
  type PublicEntry,
  publicEntries,
  type Refusal,
} from './consumers.js';

const TITLE = 'Package: @cognito-sign-up-triggers/client';
const hasAwsCli = runsHereOrSkips(
  `${TITLE} (the AWS CLI refusal)`,
  toolWorks('aws', ['--version']),
  'the AWS CLI (`aws`) is not installed on this machine',
);

const manifest = JSON.parse(readFileSync(join(CLIENT_PACKAGE_DIR, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
};
const ENTRIES = publicEntries(manifest.name, clientEntries(manifest));
const TSC = join(PROJECT_ROOT, 'node_modules', '.bin', 'tsc');
// The local pipeline's invite secret (local/env.local.json): invites minted with it are accepted.
const INVITE_SECRET = (
  JSON.parse(readFileSync(join(PROJECT_ROOT, 'local', 'env.local.json'), 'utf8')) as {
    PreSignUpFunction: { INVITE_SECRET: string };
  }
).PreSignUpFunction.INVITE_SECRET;

/** The consumer programs: where each is written, how it is checked and run, and which entries it imports. */
const CONSUMERS = {
  'bundler, browser': { file: 'bundler/browser.ts', flavor: 'typescript', entries: ['client', 'events'] },
  'bundler, server': { file: 'bundler/server.ts', flavor: 'typescript', entries: ['client', 'invite'] },
  'node16, ES module': {
    file: 'node16/esm.mts',
    flavor: 'typescript',
    entries: ['client', 'invite', 'events'],
  },
  'node16, CommonJS': {
    file: 'node16/cjs.cts',
    flavor: 'typescript',
    entries: ['client', 'invite', 'events'],
  },
  'plain CommonJS require': {
    file: 'plain.cjs',
    flavor: 'commonjs',
    entries: ['client', 'invite', 'events'],
  },
} as const satisfies Record<string, { file: string; flavor: Flavor; entries: readonly string[] }>;
type ConsumerName = keyof typeof CONSUMERS;

function entriesOf(name: ConsumerName): PublicEntry[] {
  const wanted: readonly string[] = CONSUMERS[name].entries;
  return ENTRIES.filter((entry) => wanted.includes(entry.alias));
}

function compilerOptions(resolution: 'bundler' | 'node16') {
  return {
    target: 'es2022',
    module: resolution === 'bundler' ? 'esnext' : 'node16',
    moduleResolution: resolution,
    // No @types/node: the package's declarations must stand on their own, as in a browser project.
    lib: ['es2022', 'dom'],
    types: [],
    strict: true,
    skipLibCheck: false,
    ...(resolution === 'bundler' ? { noEmit: true } : { outDir: 'out' }),
  };
}

/** Runs a command in `cwd`; never rejects for a non-zero exit (the result says how it ended). */
function exec(command: string, args: readonly string[], cwd: string): Promise<CommandResult> {
  return runCommand(command, args, { cwd, timeoutMs: 60_000 });
}

/** Fails with what the command printed when it did not exit 0. */
function succeeded(result: CommandResult, what: string): CommandResult {
  if (result.code !== 0)
    throw new Error(`${what} exited ${result.code}:\n${result.stdout}\n${result.stderr}`);
  return result;
}

/** What Amplify v6 makes of an error answer: an AuthError named for the error type, with the body's message. */
async function amplifyV6Error(response: Response): Promise<Refusal> {
  const body = (await response.json()) as Record<string, unknown>;
  // The error type: the x-amzn-errortype header, else the body's `__type`, without a `:` suffix or a `ns#`.
  const type = String(response.headers.get('x-amzn-errortype') ?? body.code ?? body.__type ?? 'UnknownError');
  const name = type.split(/[,:]/)[0]?.split('#').at(-1) ?? type;
  return { via: 'amplify-v6', name, message: String(body.message ?? body.Message ?? 'Unknown error') };
}

describe(TITLE, () => {
  let workDir: string;
  let pipeline: PipelineProcess | undefined;
  let cognito: CognitoIdentityProviderClient;
  let tarball: string;
  const refusals: Refusal[] = [];
  const expectedCodes: string[] = [];
  const inviteEmails = new Map<ConsumerName, string>();

  /** A self sign-up through the SDK, as an app makes it. */
  function signUp(email: string, validationData: Record<string, string> = {}) {
    const input: SignUpCommandInput = {
      ClientId: pipeline?.state.clientId,
      Username: email,
      Password: PASSWORD,
      UserAttributes: [{ Name: 'email', Value: email }],
      ValidationData: Object.entries(validationData).map(([Name, Value]) => ({ Name, Value })),
    };
    return cognito.send(new SignUpCommand(input));
  }

  async function sdkRefusal(email: string, validationData?: Record<string, string>): Promise<Refusal> {
    try {
      await signUp(email, validationData);
    } catch (error) {
      if (error instanceof Error) return { via: 'sdk-v3', name: error.name, message: error.message };
      throw error;
    }
    throw new Error(`Test: the sign-up of ${email} was not refused`);
  }

  async function packAndInstall(): Promise<void> {
    // npm pack runs the package's prepack: the build, from the sources the triggers run.
    succeeded(await exec('npm', ['pack', '--pack-destination', workDir], CLIENT_PACKAGE_DIR), 'npm pack');
    const packed = readdirSync(workDir).find((file) => file.endsWith('.tgz'));
    if (packed === undefined) throw new Error('Test: npm pack wrote no tarball');
    tarball = join(workDir, packed);
    const project = join(workDir, 'consumer');
    mkdirSync(project, { recursive: true });
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
    succeeded(
      await exec('npm', ['install', '--offline', '--no-audit', '--no-fund', tarball], project),
      'npm install',
    );
  }

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'client-package-'));
    [pipeline] = await Promise.all([startPipelineProcess(), packAndInstall()]);
    const { state } = pipeline;
    cognito = cognitoClientFor(state);

    refusals.push(await sdkRefusal(uniqueEmail('package', 'blocked.example')));
    expectedCodes.push('EMAIL_DOMAIN_BLOCKED');
    refusals.push(
      await sdkRefusal(uniqueEmail('package'), { [ValidationDataKey.Invite]: 'v1.forged.token' }),
    );
    expectedCodes.push('INVITE_INVALID');
    // Amplify v6 posts the JSON 1.1 request itself (fetch) and reads the error answer.
    const email = uniqueEmail('package', 'blocked.example');
    const answer = await fetch(state.endpoints.cognito, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'AWSCognitoIdentityProviderService.SignUp',
      },
      body: JSON.stringify({
        ClientId: state.clientId,
        Username: email,
        Password: PASSWORD,
        UserAttributes: [{ Name: 'email', Value: email }],
      }),
    });
    refusals.push(await amplifyV6Error(answer));
    expectedCodes.push('EMAIL_DOMAIN_BLOCKED');
    if (hasAwsCli) {
      const cliEmail = uniqueEmail('package', 'blocked.example');
      const cli = await runCommand(
        'aws',
        [
          'cognito-idp',
          'sign-up',
          ...[
            '--endpoint-url',
            state.endpoints.cognito,
            '--region',
            state.region,
            '--client-id',
            state.clientId,
          ],
          ...[
            '--username',
            cliEmail,
            '--password',
            PASSWORD,
            '--user-attributes',
            `Name=email,Value=${cliEmail}`,
          ],
        ],
        { env: localAwsEnvironment },
      );
      // "An error occurred (UserLambdaValidationException) when calling the SignUp operation: <message>"
      const match = /An error occurred \((\w+)\) when calling the SignUp operation: (.*)$/m.exec(cli.stderr);
      refusals.push({ via: 'aws-cli', name: match?.[1] ?? cli.stderr, message: match?.[2] ?? '' });
      expectedCodes.push('EMAIL_DOMAIN_BLOCKED');
    }

    const project = join(workDir, 'consumer');
    for (const name of Object.keys(CONSUMERS) as ConsumerName[]) {
      const consumer = CONSUMERS[name];
      const inviteEmail = uniqueEmail('invited');
      inviteEmails.set(name, inviteEmail);
      const input: ConsumerInput = { refusals, invite: { email: inviteEmail, secret: INVITE_SECRET } };
      mkdirSync(join(project, consumer.file, '..'), { recursive: true });
      writeFileSync(join(project, consumer.file), consumerSource(consumer.flavor, entriesOf(name), input));
    }
    for (const resolution of ['bundler', 'node16'] as const) {
      const files = Object.values(CONSUMERS)
        .map((consumer) => consumer.file)
        .filter((file) => file.startsWith(`${resolution}/`))
        .map((file) => file.slice(resolution.length + 1));
      writeFileSync(
        join(project, resolution, 'tsconfig.json'),
        JSON.stringify({ compilerOptions: compilerOptions(resolution), files }),
      );
    }
  });

  afterAll(async () => {
    cognito?.destroy();
    await pipeline?.stop();
    if (workDir !== undefined) rmSync(workDir, { recursive: true, force: true });
  });

  let node16Build: Promise<CommandResult> | undefined;

  /** Runs a consumer program (compiled or bundled where it must be) and reads what it printed. */
  async function runConsumer(name: ConsumerName): Promise<ConsumerOutput> {
    const project = join(workDir, 'consumer');
    const { file } = CONSUMERS[name];
    let program = join(project, file);
    if (file.startsWith('bundler/')) {
      program = program.replace(/\.ts$/, '.mjs');
      await build({
        entryPoints: [join(project, file)],
        absWorkingDir: project,
        outfile: program,
        bundle: true,
        format: 'esm',
        platform: name === 'bundler, browser' ? 'browser' : 'node',
        logLevel: 'silent',
      });
    } else if (file.startsWith('node16/')) {
      // One compilation for both node16 programs.
      node16Build ??= exec(TSC, ['-p', 'tsconfig.json'], join(project, 'node16'));
      succeeded(await node16Build, 'tsc (node16)');
      program = join(
        project,
        'node16',
        'out',
        file
          .slice('node16/'.length)
          .replace(/\.mts$/, '.mjs')
          .replace(/\.cts$/, '.cjs'),
      );
    }
    const result = succeeded(await exec(process.execPath, [program], project), name);
    return JSON.parse(result.stdout) as ConsumerOutput;
  }

  /** What every consumer must find: each refusal decoded to its code and the registry's sentence. */
  function expectedDecoding() {
    return refusals.map((refusal, index) => {
      const code = expectedCodes[index] as keyof typeof Rejections;
      return {
        ...refusal,
        name: 'UserLambdaValidationException',
        trigger: 'PreSignUp',
        code,
        message: Rejections[code],
        sentence: Rejections[code],
      };
    });
  }

  it('packs the compiled trees and the manifest, with no dependency', async () => {
    // Prepare
    const listing = succeeded(await exec('tar', ['-tzf', tarball], workDir), 'tar');

    // Act
    const files = listing.stdout.split('\n').filter((line) => line !== '');
    const packed = JSON.parse(
      succeeded(await exec('tar', ['-xzOf', tarball, 'package/package.json'], workDir), 'tar').stdout,
    ) as Record<string, unknown>;

    // Assess
    expect(
      files.filter((file) => !/^package\/(dist\/(esm|cjs)\/|package\.json$|README\.md$)/.test(file)),
    ).toEqual([]);
    for (const entry of ENTRIES) {
      for (const tree of ['esm', 'cjs']) {
        expect(files).toContain(`package/dist/${tree}/${entry.alias}.js`);
        expect(files).toContain(`package/dist/${tree}/${entry.alias}.d.ts`);
      }
    }
    expect(files).toContain('package/dist/cjs/package.json');
    expect(packed).toMatchObject({ name: manifest.name, version: manifest.version, sideEffects: false });
    expect(packed).not.toHaveProperty('dependencies');
    expect(packed).not.toHaveProperty('peerDependencies');
  });

  it.each(['bundler', 'node16'] as const)(
    'type-checks the moduleResolution %s consumers importing every name',
    async (resolution) => {
      // Prepare
      const project = join(workDir, 'consumer', resolution);

      // Act
      const checked = await exec(TSC, ['-p', 'tsconfig.json', '--noEmit'], project);

      // Assess
      expect(checked.code, `${checked.stdout}${checked.stderr}`).toBe(0);
    },
  );

  it.each(Object.keys(CONSUMERS) as ConsumerName[])(
    'finds every public name and decodes every refusal in the %s consumer',
    async (name) => {
      // Prepare
      const imported = entriesOf(name);

      // Act
      const output = await runConsumer(name);

      // Assess
      expect(output.names).toEqual(
        Object.fromEntries(imported.map((entry) => [entry.subpath, entry.values])),
      );
      expect(output.decoded).toEqual(expectedDecoding());
      expect(output.keys).toEqual({
        validationData: ['invite', 'captchaToken'],
        clientMetadata: ['locale', 'redirectUri', 'groups', 'plan', 'referral', 'marketingConsent'],
        inviteMaxLength: 2048,
        trigger: 'PreSignUp',
      });
      if (imported.some((entry) => entry.alias === 'events')) {
        expect(output.events).toEqual({
          source: 'PreSignUp_SignUp',
          trigger: 'PostConfirmation',
          known: true,
          sources: 12,
          clientId: 'CLIENT_ID_NOT_APPLICABLE',
        });
      }
    },
  );

  it('decodes refusals from the SDK, Amplify v6 and, where installed, the AWS CLI', () => {
    // Prepare (the refusals collected from the pipeline)

    // Act
    const callers = refusals.map((refusal) => refusal.via);

    // Assess
    expect(callers).toEqual(['sdk-v3', 'sdk-v3', 'amplify-v6', ...(hasAwsCli ? ['aws-cli'] : [])]);
    expect(refusals.every((refusal) => refusal.message.startsWith('PreSignUp failed with error '))).toBe(
      true,
    );
  });

  it.each(
    (Object.keys(CONSUMERS) as ConsumerName[]).filter((name) =>
      (CONSUMERS[name].entries as readonly string[]).includes('invite'),
    ),
  )('mints, in the %s consumer, an invite the local pipeline accepts', async (name) => {
    // Prepare
    const output = await runConsumer(name);
    const email = inviteEmails.get(name) ?? '';

    // Act
    const signedUp = await signUp(email, { [ValidationDataKey.Invite]: output.invite?.token ?? '' });

    // Assess
    expect(output.invite).toMatchObject({
      ok: true,
      inAlphabet: true,
      refusedShortSecret: true,
      reasons: ['malformed', 'signature', 'email', 'pool', 'expired'],
    });
    // Confirmed at once: the invite proved the address (docs/pre-sign-up.md).
    expect(signedUp.UserConfirmed).toBe(true);
  });
});
