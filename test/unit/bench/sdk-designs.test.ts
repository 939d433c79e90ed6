import { describe, expect, it } from 'vitest';
import {
  commandsLoaderSource,
  initLoaderSource,
  sdkUsageOf,
  sliceSource,
} from '../../../bench/sdk-designs.js';

const EXPORTS: Record<string, string[]> = {
  '@aws-sdk/client-sqs': ['SQSClient', 'SendMessageCommand', 'ReceiveMessageCommand', 'QueueDoesNotExist'],
  '@aws-sdk/client-ssm': ['SSMClient', 'GetParameterCommand'],
};

const exportsOf = (specifier: string) => EXPORTS[specifier] ?? [];

describe('Bench: sdkUsageOf', () => {
  it('keeps, per SDK package the sources name, the clients and commands they name', () => {
    // Prepare
    const sources = [
      "sdk ??= loadExternalModule<SqsSdk>('@aws-sdk/client-sqs');",
      'const { SQSClient } = await loadSqsSdk(); const { SendMessageCommand } = await loadSqsSdk();',
    ];

    // Act
    const usage = sdkUsageOf(sources, exportsOf);

    // Assess
    expect(usage).toEqual({ '@aws-sdk/client-sqs': ['SQSClient', 'SendMessageCommand'] });
  });

  it('leaves out a package whose clients and commands the sources never name', () => {
    // Prepare
    const sources = ["import type { Parameter } from '@aws-sdk/client-ssm';"];

    // Act
    const usage = sdkUsageOf(sources, exportsOf);

    // Assess
    expect(usage).toEqual({});
  });

  it('ignores a name no package exports, however it is spelt', () => {
    // Prepare
    const sources = ["'@aws-sdk/client-sqs'; new SQSClient(); new MadeUpCommand();"];

    // Act
    const usage = sdkUsageOf(sources, exportsOf);

    // Assess
    expect(usage).toEqual({ '@aws-sdk/client-sqs': ['SQSClient'] });
  });
});

describe('Bench: loader sources', () => {
  it('requires each package of the init design at module scope, falling back to require on first use', () => {
    // Prepare
    const specifiers = ['@aws-sdk/client-sqs'];

    // Act
    const source = initLoaderSource(specifiers);

    // Assess
    expect(source).toContain('  "@aws-sdk/client-sqs": require("@aws-sdk/client-sqs"),');
    expect(source).toContain('return (preloaded[specifier] ?? require(specifier)) as T;');
  });

  it('imports a bundled slice per package of the commands design, and refuses any other package', () => {
    // Prepare
    const usage = { '@aws-sdk/client-sqs': ['SQSClient', 'SendMessageCommand'] };

    // Act
    const source = commandsLoaderSource(usage);

    // Assess
    expect(source).toContain('"@aws-sdk/client-sqs": () => import("bench-sdk-slice:@aws-sdk/client-sqs"),');
    expect(source).toContain('is not among the bundled SDK slices');
  });

  it('re-exports only the named clients and commands of a package', () => {
    // Prepare
    const names = ['SQSClient', 'SendMessageCommand'];

    // Act
    const source = sliceSource('@aws-sdk/client-sqs', names);

    // Assess
    expect(source).toBe('export { SQSClient, SendMessageCommand } from "@aws-sdk/client-sqs";\n');
  });
});
