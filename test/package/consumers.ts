/**
 * The consumer programs of the client package test (client-package.test.ts): for each entry, every public
 * name it exports (read from the entry's source), and a program that imports every one of them, decodes the
 * refusals it is given, mints an invite and uses the event types, then prints what it found as JSON. The same
 * program is written as TypeScript (ESM syntax; tsc turns it into `require` in a `.cts` file) and as plain
 * CommonJS. It prints with `console.log` and reads no file, so it runs unchanged in a browser bundle.
 */
import { readFileSync } from 'node:fs';
import type { ClientEntry } from '../../scripts/build-client.js';

/** One entry's public surface. */
export type PublicEntry = {
  subpath: string;
  /** `@cognito-sign-up-triggers/client` or `@cognito-sign-up-triggers/client/<name>`. */
  importPath: string;
  /** The identifier its namespace gets in a program (`client`, `invite`, `events`). */
  alias: string;
  /** Runtime exports, sorted. */
  values: string[];
  /** Type-only exports, sorted. */
  types: string[];
};

/** A refused sign-up as one caller reported it. */
export type Refusal = {
  /** Which caller reported it: `sdk-v3`, `aws-cli`, `amplify-v6`. */
  via: string;
  /** The error's name (class or error type). */
  name: string;
  message: string;
};

/** What a consumer program is given. */
export type ConsumerInput = {
  refusals: Refusal[];
  /** The address to mint an invite for, and the pipeline's invite secret. */
  invite: { email: string; secret: string };
};

/** What a consumer program prints (the parts of it the entries it imports produce). */
export type ConsumerOutput = {
  names: Record<string, string[]>;
  decoded?: Array<Refusal & { trigger?: string; code?: string; sentence?: string }>;
  keys?: { validationData: string[]; clientMetadata: string[]; inviteMaxLength: number; trigger: string };
  invite?: {
    token: string;
    ok: boolean;
    inAlphabet: boolean;
    refusedShortSecret: boolean;
    reasons: string[];
  };
  events?: { source: string; trigger: string; known: boolean; sources: number; clientId: string };
};

const EXPORT_LIST = /export\s*\{([^}]*)\}\s*from/g;

/** The public names of each entry, read from its source (`export { a, type B } from '…'`). */
export function publicEntries(packageName: string, entries: readonly ClientEntry[]): PublicEntry[] {
  return entries.map((entry) => {
    const names = [...readFileSync(entry.source, 'utf8').matchAll(EXPORT_LIST)].flatMap((match) =>
      (match[1] ?? '')
        .split(',')
        .map((name) => name.trim())
        .filter((name) => name !== ''),
    );
    return {
      subpath: entry.subpath,
      importPath: entry.subpath === '.' ? packageName : `${packageName}/${entry.name}`,
      alias: entry.name,
      values: names.filter((name) => !name.startsWith('type ')).sort(),
      types: names
        .filter((name) => name.startsWith('type '))
        .map((name) => name.slice('type '.length))
        .sort(),
    };
  });
}

/** How a program is written. */
export type Flavor = 'typescript' | 'commonjs';

function importsOf(entry: PublicEntry, flavor: Flavor): string[] {
  const { alias, importPath } = entry;
  if (flavor === 'commonjs') {
    return [
      `const ${alias} = require('${importPath}');`,
      `const { ${entry.values.map((name) => `${name}: ${alias}_${name}`).join(', ')} } = ${alias};`,
    ];
  }
  const named = [
    ...entry.values.map((name) => `${name} as ${alias}_${name}`),
    ...entry.types.map((name) => `type ${name} as ${alias}_${name}`),
  ];
  return [
    `import * as ${alias} from '${importPath}';`,
    `import { ${named.join(', ')} } from '${importPath}';`,
  ];
}

/**
 * A program importing every public name of `entries` (a subset of `client`, `invite` and `events`).
 * In TypeScript it also annotates with the package's types, so the type-check exercises them.
 */
export function consumerSource(
  flavor: Flavor,
  entries: readonly PublicEntry[],
  input: ConsumerInput,
): string {
  const ts = flavor === 'typescript';
  const as = (type: string) => (ts ? `: ${type}` : '');
  const has = (alias: string) => entries.some((entry) => entry.alias === alias);
  const lines = [...entries.flatMap((entry) => importsOf(entry, flavor)), ''];
  if (ts) {
    lines.push(
      'type Input = { refusals: { via: string; name: string; message: string }[]; invite: { email: string; secret: string } };',
    );
  }
  lines.push(`const input${as('Input')} = ${JSON.stringify(input)};`);
  lines.push(`const result${as('Record<string, unknown>')} = {};`);
  // `default` and `__esModule` are what a CommonJS interop adds, not names of the package.
  lines.push(
    `result.names = { ${entries
      .map(
        (entry) =>
          `'${entry.subpath}': Object.keys(${entry.alias}).filter((name) => name !== 'default' && name !== '__esModule').sort()`,
      )
      .join(', ')} };`,
  );
  if (has('client')) {
    lines.push(
      'result.decoded = input.refusals.map((refusal) => {',
      `  const info${as('client_TriggerErrorInfo | undefined')} = client_parseTriggerError(refusal.message);`,
      `  const code${as('client_RejectionCode | undefined')} =`,
      '    info !== undefined && client_isRejectionCode(info.code) ? info.code : undefined;',
      '  return { ...refusal, trigger: info?.trigger, code: info?.code, message: info?.message,',
      '    sentence: code === undefined ? undefined : client_Rejections[code] };',
      '});',
      `const field${as('client_CallerField')} = client_ValidationDataFields[client_ValidationDataKey.Invite];`,
      'result.keys = {',
      '  validationData: Object.values(client_ValidationDataKey),',
      '  clientMetadata: Object.values(client_ClientMetadataKey),',
      "  inviteMaxLength: field.type === 'string' ? field.maxLength : 0,",
      '  trigger: client_TriggerName.PreSignUp,',
      '};',
      // Read, so an app's type-check sees every registry in use.
      'void [client_ClientMetadataFields.locale.pattern, client_CallerMetadataLimits.validationData.maxValueLength];',
    );
  }
  if (has('invite')) {
    lines.push(
      'const { email, secret } = input.invite;',
      `const options${as('invite_CreateInviteOptions')} = { email, ttlSeconds: 600, secret, claims: { tenant: 'acme' } };`,
      'const token = invite_createInvite(options);',
      `const verifyOptions${as('invite_VerifyInviteOptions')} = { email, secrets: [secret] };`,
      `const verification${as('invite_InviteVerification')} = invite_verifyInvite(token, verifyOptions);`,
      `const claims${as('invite_InviteClaims')} = verification.ok ? verification.claims : {};`,
      `const reasons${as('invite_InviteFailureReason[]')} = Object.values(invite_InviteFailureReason);`,
      'let refusedShortSecret = false;',
      'try {',
      "  invite_createInvite({ email, ttlSeconds: 600, secret: 'short' });",
      '} catch (error) {',
      "  refusedShortSecret = error instanceof invite_OptionsError && error.option === 'secret';",
      '}',
      'result.invite = {',
      "  token, ok: verification.ok && claims.tenant === 'acme', inAlphabet: invite_INVITE_TOKEN_ALPHABET.test(token)",
      '    && token.length <= invite_InviteLimits.maxTokenLength, refusedShortSecret, reasons,',
      '};',
    );
  }
  if (has('events')) {
    lines.push(
      "// A trigger of the app's own, typed with the package's event.",
      `const preSignUp = async (event${as('events_PreSignUpEvent')})${as('Promise<events_PreSignUpEvent>')} =>`,
      '  ({ ...event, response: { ...event.response, autoVerifyEmail: true } });',
      'void preSignUp;',
      'result.events = {',
      '  source: events_TriggerSource.PreSignUpSignUp,',
      '  trigger: events_triggerNameOf(events_TriggerSource.PostConfirmationConfirmSignUp),',
      "  known: events_isTriggerSource('PreSignUp_SignUp') && events_sourcesOfTrigger[events_TriggerName.CustomMessage].length > 0,",
      '  sources: events_preSignUpSources.length + events_customMessageSources.length + events_postConfirmationSources.length,',
      '  clientId: events_CLIENT_ID_NOT_APPLICABLE,',
      '};',
    );
  }
  lines.push('console.log(JSON.stringify(result));', '');
  return lines.join('\n');
}
