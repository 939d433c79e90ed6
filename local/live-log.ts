/**
 * The lines `npm start` prints while it runs: one per trigger invocation (source, the rule that decided,
 * outcome, duration), what the API caller saw when a call failed, and where each message landed. No personal
 * data: the handlers' decision line carries none, and recipients are masked. The counters that follow a refusal
 * or a fault come from the functions' metrics documents (local/metrics-counters.ts).
 */
import { maskEmail, maskPhone } from '../shared/mask.js';
import type { TriggerCallReport } from './cognito-lambda.js';
import type { InboxMessage } from './inbox.js';
import type { InvocationReport } from './lambda-endpoint.js';

/** The fields of the handlers' `trigger decision` log line (shared/handler-core.ts). */
export type Decision = {
  triggerSource?: string;
  decidedBy?: string;
  outcome?: string;
  code?: string;
  durationMs?: number;
};

function timeOf(date: Date): string {
  return date.toISOString().slice(11, 23);
}

/** The decision line among a function's log lines (JSON, message `trigger decision`), if it logged one. */
export function decisionOf(logs: readonly string[]): Decision | undefined {
  for (const line of logs) {
    if (!line.includes('trigger decision')) continue;
    try {
      const parsed = JSON.parse(line) as Record<string, unknown>;
      if (parsed.message !== 'trigger decision') continue;
      const text = (key: string) => (typeof parsed[key] === 'string' ? (parsed[key] as string) : undefined);
      return {
        ...(text('triggerSource') === undefined ? {} : { triggerSource: text('triggerSource') }),
        ...(text('decidedBy') === undefined ? {} : { decidedBy: text('decidedBy') }),
        ...(text('outcome') === undefined ? {} : { outcome: text('outcome') }),
        ...(text('code') === undefined ? {} : { code: text('code') }),
        ...(typeof parsed.durationMs === 'number' ? { durationMs: parsed.durationMs } : {}),
      };
    } catch {
      // Not JSON: a plain console line of the function.
    }
  }
  return undefined;
}

/** Post confirmation's `onboarding` log line as `addToGroups done, writeProfile done`, if it logged one. */
export function onboardingOf(logs: readonly string[]): string | undefined {
  for (const line of logs) {
    if (!line.includes('"onboarding"')) continue;
    try {
      const parsed = JSON.parse(line) as { message?: unknown; actions?: unknown };
      if (parsed.message !== 'onboarding' || !Array.isArray(parsed.actions)) continue;
      return parsed.actions
        .map(
          (entry: { action?: unknown; outcome?: unknown }) =>
            `${String(entry.action)} ${String(entry.outcome)}`,
        )
        .join(', ');
    } catch {
      // Not JSON.
    }
  }
  return undefined;
}

/**
 * One invocation: `12:00:01.123  PreSignUp_SignUp  rejected EMAIL_DOMAIN_BLOCKED by restrictEmailDomains  12 ms (cold start)`.
 */
export function invocationLine(report: InvocationReport, at: Date = new Date()): string {
  const { result } = report;
  const event = report.event as { triggerSource?: unknown } | null;
  const source = typeof event?.triggerSource === 'string' ? event.triggerSource : report.functionName;
  let outcome: string;
  if (result.kind === 'timeout') {
    outcome = 'timed out (Task timed out)';
  } else {
    const decision = decisionOf(result.logs);
    if (decision === undefined) {
      outcome = result.kind === 'threw' ? `failed: ${result.errorType}` : 'returned (no decision line)';
    } else {
      const code = decision.code === undefined ? '' : ` ${decision.code}`;
      const rule =
        decision.decidedBy === undefined || decision.decidedBy === 'none'
          ? 'no rule decided'
          : `by ${decision.decidedBy}`;
      const onboarding = onboardingOf(result.logs);
      outcome = `${decision.outcome ?? 'done'}${code} ${rule}${onboarding === undefined ? '' : ` (${onboarding})`}`;
    }
  }
  const cold = result.coldStart ? ' (cold start)' : '';
  return `${timeOf(at)}  ${source.padEnd(38)} ${outcome.padEnd(52)} ${Math.round(result.durationMs)} ms${cold}`;
}

/** What the API caller saw, for a call that failed or that Cognito changed (a default message); else nothing. */
export function callerLine(report: TriggerCallReport): string | undefined {
  const outcome = report.call.cognito;
  const indent = ' '.repeat(14);
  if (outcome.outcome === 'error') {
    const attempts = report.call.attempts > 1 ? ` after ${report.call.attempts} attempts` : '';
    return `${indent}${report.operation ?? 'the call'} fails${attempts}: ${outcome.errorType}: ${outcome.message}`;
  }
  if (outcome.notes.length > 0) return outcome.notes.map((note) => `${indent}note: ${note}`).join('\n');
  return undefined;
}

/** Where a message landed: `✉ email to j***@example.com: /tmp/…/inbox/0001-sign-up.html`. */
export function inboxLine(message: InboxMessage): string {
  const to = message.channel === 'email' ? maskEmail(message.to) : maskPhone(message.to);
  const kind = message.custom ? 'custom' : 'default';
  return `${' '.repeat(14)}✉ ${message.channel} (${kind}) to ${to}: ${message.file}`;
}
