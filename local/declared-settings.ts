/**
 * The settings every trigger declares (triggers/registry.ts, shared/settings.ts), as the local tools use
 * them: the recorder makes a recording self-contained from them, and the anonymiser learns the run's
 * configuration and every caller key from them. Nothing here names a variable or a key.
 */
import type {
  CallerKeyDeclaration,
  CallerValue,
  SettingsDeclaration,
  SettingValue,
} from '../shared/settings.js';
import { declaredVariables, type VariableDeclaration } from '../shared/settings.js';
import { TRIGGERS } from '../triggers/registry.js';

/** Every declaration of every trigger, once each (the core's and Powertools' are in every trigger). */
export const DECLARATIONS: readonly SettingsDeclaration[] = [
  ...new Map(
    Object.values(TRIGGERS)
      .flatMap((trigger) => trigger.settings)
      .map((declaration) => [declaration.owner, declaration] as const),
  ).values(),
];

/** Every declared variable, with its owner. */
export const VARIABLES: ReadonlyArray<VariableDeclaration & { owner: string }> =
  declaredVariables(DECLARATIONS);

/** The declared variables whose value is of kind `value`. */
export function variablesHolding(value: SettingValue): string[] {
  return VARIABLES.filter((variable) => variable.value === value).map((variable) => variable.name);
}

/** Whether `name` is declared a secret (or a secret's location). Undeclared names are judged by their name. */
export function isSecretVariable(name: string): boolean {
  const declared = VARIABLES.find((variable) => variable.name === name);
  // A variable no declaration knows (a team's own addition) is kept out when its name says secret.
  return declared === undefined
    ? /SECRET|PASSWORD|TOKEN|KEY|_ARN$|_SSM_PARAMETER$/.test(name)
    : declared.secret !== undefined;
}

/** The caller keys every rule and action reads, by map: key -> what it holds. */
export function callerKeys(): {
  clientMetadata: Readonly<Record<string, CallerValue>>;
  validationData: Readonly<Record<string, CallerValue>>;
} {
  const mapOf = (pick: (declaration: SettingsDeclaration) => readonly CallerKeyDeclaration[] | undefined) => {
    const map: Record<string, CallerValue> = {};
    for (const declaration of DECLARATIONS) {
      for (const { key, value } of pick(declaration) ?? []) {
        Object.defineProperty(map, key, { value, enumerable: true });
      }
    }
    return map;
  };
  return {
    clientMetadata: mapOf((declaration) => declaration.clientMetadata),
    validationData: mapOf((declaration) => declaration.validationData),
  };
}

/** The value a recording gives `name` offline: the fake of a secret, or the offline value of a live setting. */
export function offlineValueOf(name: string): string | undefined {
  const variable = VARIABLES.find((candidate) => candidate.name === name);
  if (variable === undefined) return undefined;
  if (typeof variable.secret === 'object') return variable.secret.fake;
  return variable.calls?.offline.value;
}
