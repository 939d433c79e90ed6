/**
 * What a rule or action reads, declared beside it: its environment variables (which are secrets, which make
 * the function call a live service), and the ClientMetadata / ValidationData keys it reads from callers.
 * Tools derive their lists from these declarations (triggers/registry.ts): the recorder makes a recording
 * self-contained from them, the anonymiser knows every caller key from them, the failure queue keeps exactly
 * the keys the enabled actions read. A guard test checks that every variable of every function in
 * template.yaml is declared by exactly one declaration, and that each declaration names what its reader reads.
 */

/** What a variable's value is, for the tools that must treat it specially. */
export const SettingValue = {
  /** Anything else: a configuration value the anonymiser keeps as it is (a group name, a URL). */
  Plain: 'plain',
  /** The invite signing secrets (one, or several for a rotation): they tell a valid invite from a forged one. */
  InviteSecrets: 'invite-secrets',
  /** Email-domain entries (`example.com`, `*.example.com`), comma-separated. */
  EmailDomains: 'email-domains',
  /** Origins a redirect may go to, comma-separated. */
  RedirectOrigins: 'redirect-origins',
  /** Identity provider names, comma-separated. */
  IdentityProviders: 'identity-providers',
  /** A JSON object of attribute names to regular expressions. */
  AttributePatterns: 'attribute-patterns',
  /** `true` / `false`. */
  Boolean: 'boolean',
  /** `true` turns the disposable-address block on (the anonymiser then keeps listed domains as they are). */
  BlocksDisposableEmails: 'blocks-disposable-emails',
} as const;

/** One of {@link SettingValue}. */
export type SettingValue = (typeof SettingValue)[keyof typeof SettingValue];

/** What replaces a setting in a recording's offline environment (local/record.ts). */
export type OfflineValue = {
  /** The value offline; `'unreachable-url'` is a loopback URL nothing listens on (an outage, at once). */
  value: string;
  /** How a fixture's description says it, for example `the alias guard off`. */
  says: string;
  /**
   * Apply it only when the function is configured so that this setting matters (default: whenever the
   * variable is declared by the function). Receives the function's whole environment.
   */
  when?: (env: Readonly<Record<string, string>>) => boolean;
};

/** One environment variable a rule or action reads. */
export type VariableDeclaration = {
  name: string;
  /** The factory option the variable sets, so a factory's options error names the variable. */
  option?: string;
  /** Default {@link SettingValue.Plain}. */
  value?: SettingValue;
  /**
   * The live service a non-empty value makes the function call (`cognito-idp`, `dynamodb`, `events`, `sqs`,
   * `captcha provider`, …), and what the value becomes offline. A recording never calls it.
   */
  calls?: { service: string; offline: OfflineValue };
  /**
   * A secret, or where one is stored (`true`): never a configuration value the anonymiser keeps. On the
   * secret itself, the fake value a recording holds instead; the recorder empties the owner's other secret
   * variables that start with this name (its `_SSM_PARAMETER` / `_ARN` locations).
   */
  secret?: true | { fake: string; says: string };
};

/** What a caller-sent key holds, so the anonymiser knows how to replace it faithfully. */
export const CallerValue = {
  /** A signed invite (shared/invite.ts). */
  Invite: 'invite',
  /** A captcha provider's response token. */
  CaptchaToken: 'captcha-token',
  /** A BCP 47 language tag. */
  Locale: 'locale',
  /** A URL the app wants links to point at. */
  RedirectUri: 'redirect-uri',
  /** Free text or a choice (a plan, a group): replaced by a fake of the same shape. */
  Free: 'free',
} as const;

/** One of {@link CallerValue}. */
export type CallerValue = (typeof CallerValue)[keyof typeof CallerValue];

/** One ClientMetadata or ValidationData key a rule or action reads. */
export type CallerKeyDeclaration = { key: string; value: CallerValue };

/** What one rule or action reads. */
export type SettingsDeclaration = {
  /** The rule or action, as its factory names it (the decision line's `rules[].rule`). */
  owner: string;
  variables: readonly VariableDeclaration[];
  /** ClientMetadata keys it reads. */
  clientMetadata?: readonly CallerKeyDeclaration[];
  /** ValidationData keys it reads. */
  validationData?: readonly CallerKeyDeclaration[];
  /** Variables another declaration of the same function owns, which this one reads too. */
  alsoReads?: readonly string[];
};

/**
 * Declares what a rule or action reads. Checks the declaration itself (names in SCREAMING_SNAKE, no variable
 * twice, a fake for every secret that a recording must replace) and returns it.
 *
 * @example
 * export const restrictEmailDomainsSettings = declareSettings({
 *   owner: 'restrictEmailDomains',
 *   variables: [
 *     { name: 'ALLOWED_EMAIL_DOMAINS', option: 'allowed', value: SettingValue.EmailDomains },
 *     { name: 'BLOCKED_EMAIL_DOMAINS', option: 'blocked', value: SettingValue.EmailDomains },
 *   ],
 * });
 */
export function declareSettings<const D extends SettingsDeclaration>(declaration: D): D {
  const seen = new Set<string>();
  for (const variable of declaration.variables) {
    if (!/^[A-Z][A-Z0-9_]*$/.test(variable.name)) {
      throw new TypeError(`${declaration.owner}: ${variable.name} is not a SCREAMING_SNAKE variable name`);
    }
    if (seen.has(variable.name)) throw new TypeError(`${declaration.owner}: ${variable.name} declared twice`);
    seen.add(variable.name);
  }
  return declaration;
}

/** The variable a factory option comes from in `declaration`, if it names one. */
export function variableOfOption(declaration: SettingsDeclaration, option: string): string | undefined {
  return declaration.variables.find((variable) => variable.option === option)?.name;
}

/** Every variable of some declarations, each with the owner that declares it. */
export function declaredVariables(
  declarations: readonly SettingsDeclaration[],
): Array<VariableDeclaration & { owner: string }> {
  return declarations.flatMap((declaration) =>
    declaration.variables.map((variable) => ({ ...variable, owner: declaration.owner })),
  );
}
