/**
 * Each trigger definition names its own sources (a function bundles only its own tables); they must be
 * exactly the sources Cognito fires that trigger with (contract §2–§4): one left out would reach the core as
 * undocumented and, under the default policy, answer Cognito's default instead of running the rules.
 */
import { describe, expect, it } from 'vitest';
import { sourcesOfCoreTrigger } from '../../../shared/core-trigger.js';
import { customEmailSender, customSmsSender } from '../../../triggers/custom-sender/trigger.js';
import { TRIGGERS } from '../../../triggers/registry.js';

const definitions = [...Object.values(TRIGGERS), customEmailSender, customSmsSender];

describe('Triggers: the sources each definition names', () => {
  it.each(definitions.map((definition) => [definition.name, definition] as const))(
    '%s names exactly its documented sources',
    (name, definition) => {
      // Prepare
      const documented = sourcesOfCoreTrigger[name];

      // Act
      const named = [...definition.sources];

      // Assess
      expect(named).toEqual([...documented]);
    },
  );
});
