/**
 * A dependency that hangs: accepts connections and never answers, for proving that a trigger answers in
 * time whatever a service does.
 */
import { createServer } from 'node:http';
import { listenOnLoopback } from './loopback.js';

/** A running hanging server. */
export type HangingServer = { endpoint: string; stop(): Promise<void> };

/** Accepts connections and never answers: a dependency that hangs. */
export async function startHangingServer(): Promise<HangingServer> {
  const server = createServer(() => {
    // Never answers.
  });
  const { origin, stop } = await listenOnLoopback(server);
  return { endpoint: origin, stop };
}
