/**
 * Guard: knowledge lives where it is owned (issue 12). Every variable of every function in template.yaml is
 * declared by exactly one settings declaration of its trigger; each trigger reads only what its declarations
 * name; every ClientMetadata / ValidationData key a rule reads on any recorded event is declared, so the
 * recorder, the anonymiser and the failure queue (which derive their lists from the declarations) know it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyEnvVars } from '../../../harness/env-vars.js';
import { findEventFiles, kebabCase } from '../../../harness/fixtures.js';
import { PROJECT_ROOT } from '../../../harness/paths.js';
import { loadTemplate } from '../../../harness/template.js';
import type { TriggerDescriptor } from '../../../shared/define-trigger.js';
import type { SignUpTriggerEvent } from '../../../shared/event-types.js';
import { declaredVariables } from '../../../shared/settings.js';
import { TRIGGERS } from '../../../triggers/registry.js';
import { ruleContext } from '../../support/builders.js';

const template = loadTemplate();
const envVars: unknown = JSON.parse(readFileSync(join(PROJECT_ROOT, 'events', 'env.json'), 'utf8'));
const triggers = Object.values(TRIGGERS) as unknown as TriggerDescriptor<SignUpTriggerEvent>[];

function functionOf(trigger: TriggerDescriptor<SignUpTriggerEvent>) {
  const spec = template.functions.find((candidate) => candidate.trigger === trigger.name);
  if (spec === undefined) throw new Error(`Test: no function in template.yaml wired to ${trigger.name}`);
  return spec;
}

/** An environment that records every name read through it. */
function recordingEnv(values: Record<string, string>) {
  const read = new Set<string>();
  const env = new Proxy(values, {
    get(target, name) {
      if (typeof name === 'string') read.add(name);
      return Reflect.get(target, name);
    },
  });
  return { env, read };
}

/**
 * A metadata map that records every key a reader asks for (shared/metadata.ts asks with `Object.hasOwn`).
 * It lists no keys, so a walk over the whole map (the size bound) asks for nothing; a key asked by name
 * still finds its recorded value, so the rules take the paths the event takes.
 */
function recordingMap(values: unknown, asked: Set<string>): unknown {
  const target = typeof values === 'object' && values !== null ? { ...values } : {};
  return new Proxy(target, {
    ownKeys() {
      return [];
    },
    getOwnPropertyDescriptor(object, key) {
      if (typeof key === 'string') asked.add(key);
      return Reflect.getOwnPropertyDescriptor(object, key);
    },
    get(object, key) {
      if (typeof key === 'string') asked.add(key);
      return Reflect.get(object, key);
    },
  });
}

describe.each(triggers.map((trigger) => [trigger.name, trigger] as const))(
  'Guard: %s settings',
  (_name, trigger) => {
    it('declares every variable of its function in template.yaml exactly once', () => {
      // Prepare
      const spec = functionOf(trigger);
      const variables = [...Object.keys(spec.environment), ...spec.unresolved].sort();

      // Act
      const declared = declaredVariables(trigger.settings).map((variable) => variable.name);

      // Assess
      // (A declaration may name more than the function sets: the core reads RULES_MODE in every function.)
      expect(declared.filter((name, index) => declared.indexOf(name) !== index)).toEqual([]);
      expect(variables.filter((name) => !declared.includes(name))).toEqual([]);
    });

    it('reads nothing at cold start that its declarations do not name', () => {
      // Prepare: the template's defaults with events/env.json, as the golden suite runs the function
      const { env, read } = recordingEnv(applyEnvVars(functionOf(trigger), envVars));
      const declared = new Set([
        ...declaredVariables(trigger.settings).map((variable) => variable.name),
        ...trigger.settings.flatMap((declaration) => declaration.alsoReads ?? []),
      ]);

      // Act
      trigger.configure(env);

      // Assess
      expect(read.size).toBeGreaterThan(0);
      expect([...read].filter((name) => !declared.has(name))).toEqual([]);
    });

    it('names in its declarations each variable another declaration of it says it also reads', () => {
      // Prepare
      const declared = new Set(declaredVariables(trigger.settings).map((variable) => variable.name));

      // Act
      const dangling = trigger.settings.flatMap((declaration) =>
        (declaration.alsoReads ?? []).filter((name) => !declared.has(name)),
      );

      // Assess
      expect(dangling).toEqual([]);
    });

    it('reads only declared ClientMetadata and ValidationData keys on every recorded event', async () => {
      // Prepare
      const { rules } = trigger.configure(applyEnvVars(functionOf(trigger), envVars));
      const files = findEventFiles([join(PROJECT_ROOT, 'events', kebabCase(trigger.name))]);
      const asked = { clientMetadata: new Set<string>(), validationData: new Set<string>() };

      // Act
      for (const file of files) {
        let event: SignUpTriggerEvent;
        try {
          event = trigger.parse(JSON.parse(readFileSync(file, 'utf8')));
        } catch {
          continue; // An event the parser refuses never reaches a rule.
        }
        const request = event.request as Record<string, unknown>;
        request.clientMetadata = recordingMap(request.clientMetadata, asked.clientMetadata);
        if ('validationData' in request) {
          request.validationData = recordingMap(request.validationData, asked.validationData);
        }
        for (const rule of rules) {
          try {
            await rule(event as never, ruleContext());
          } catch {
            break; // A rejection or fault ends the chain, as in the core.
          }
        }
      }

      // Assess
      const declaredKeys = (pick: 'clientMetadata' | 'validationData') =>
        new Set(trigger.settings.flatMap((declaration) => (declaration[pick] ?? []).map(({ key }) => key)));
      const undeclared = (pick: 'clientMetadata' | 'validationData') =>
        [...asked[pick]].filter((key) => !declaredKeys(pick).has(key) && !isIntrinsicKey(key));
      expect({
        clientMetadata: undeclared('clientMetadata'),
        validationData: undeclared('validationData'),
      }).toEqual({
        clientMetadata: [],
        validationData: [],
      });
      expect(files.length).toBeGreaterThan(0);
    });
  },
);

// What JavaScript itself asks of any object (a spread, a `for…in`, a JSON.stringify), not a rule's key.
function isIntrinsicKey(key: string): boolean {
  return key === 'toJSON' || key === 'constructor' || key === 'then';
}
