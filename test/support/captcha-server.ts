/**
 * A loopback stand-in for the three captcha providers' server-side verify APIs, for integration tests.
 * One route per provider, at the provider's own path, speaking its documented protocol:
 * - Turnstile `POST /turnstile/v0/siteverify`: form or JSON body; JSON reply with `success`, `error-codes`,
 *   `challenge_ts`, `hostname`, `action`, `cdata`
 *   (https://developers.cloudflare.com/turnstile/get-started/server-side-validation/).
 * - reCAPTCHA `POST /recaptcha/api/siteverify`: form body only; v3 reply with `score` and `action`
 *   (https://developers.google.com/recaptcha/docs/verify, https://developers.google.com/recaptcha/docs/v3).
 * - hCaptcha `POST /siteverify`: form body only; reply with `credit`, and `score` for Enterprise
 *   (https://docs.hcaptcha.com/#verify-the-user-response-server-side).
 *
 * The token chooses the behaviour: its part before the first `.` is a {@link CaptchaBehaviour}
 * (`pass`, `pass.4f2a`, `low-score.x`); any other token is treated like a forged one (`invalid-input-response`).
 * A wrong or missing secret gets the provider's `invalid-input-secret` / `missing-input-secret` answer.
 * {@link CaptchaServer.setReply} makes every route answer something no provider would (any status and body,
 * or raw bytes on the socket followed by a close, a reset or silence), for the rule's fail-open policy.
 * Every request is recorded in `calls`. The server listens on 127.0.0.1 port 0 and never keeps the process
 * alive (unref'd); `close()` also drops open connections and pending slow replies.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody } from './loopback.js';

/** The providers the server imitates. */
export type CaptchaServerProvider = 'turnstile' | 'recaptcha' | 'hcaptcha';

/** What a token (or {@link CaptchaServer.setBehaviour}) makes the server do. */
export const CaptchaBehaviour = {
  /** A successful verdict for the configured hostname and action (reCAPTCHA: score 0.9). */
  Pass: 'pass',
  /** reCAPTCHA v2 style success: no score, no action. */
  PassV2: 'pass-v2',
  /** `success: false`, `error-codes: ['invalid-input-response']`. */
  Fail: 'fail',
  /** `success: false`, `error-codes: ['timeout-or-duplicate']` (a token used twice). */
  Duplicate: 'duplicate',
  /** Success, but solved on another host. */
  WrongHostname: 'wrong-hostname',
  /** Success, but for another widget action (hCaptcha has none: same as `pass`). */
  WrongAction: 'wrong-action',
  /** reCAPTCHA: success with score 0.1. Turnstile and hCaptcha have no such score: same as `pass`. */
  LowScore: 'low-score',
  /** A successful verdict after `slowMs`. */
  Slow: 'slow',
  /** HTTP 500 with an HTML body. */
  ServerError: '500',
  /** HTTP 200 with a body that is not JSON. */
  Garbage: 'garbage',
  /** HTTP 200 with JSON that is not a verdict (`success` missing). */
  NotAVerdict: 'not-a-verdict',
  /** Turnstile's `internal-error` ("the request can be retried"). */
  InternalError: 'internal-error',
  /** HTTP 400 with a well-formed `success: false` verdict. */
  Refused: 'refused',
  /** HTTP 404 with an HTML body, as a wrong URL would answer. */
  NotFound: '404',
} as const;

/** One behaviour of the fake provider. */
export type CaptchaBehaviour = (typeof CaptchaBehaviour)[keyof typeof CaptchaBehaviour];

const behaviours: readonly string[] = Object.values(CaptchaBehaviour);

/**
 * A reply forced on every request, whatever the route, secret or token: what a misbehaving endpoint, a
 * proxy or a dropped connection looks like from the rule's side.
 */
export type CaptchaServerReply =
  /** An HTTP answer: `status`, `body` (default empty) with `content-length`, and extra `headers`. */
  | { status: number; body?: string; contentType?: string; headers?: Record<string, string> }
  /**
   * `raw` written on the socket as it is (HTTP or not); `ending` then closes the connection (`close`, a
   * FIN), resets it (`reset`, an RST) or leaves it open without another byte (`hang`).
   */
  | { raw: string; ending: 'close' | 'reset' | 'hang' };

/** One request the server received. */
export type CaptchaServerCall = {
  provider: CaptchaServerProvider | undefined;
  method: string;
  path: string;
  /** The `content-type` header without parameters (`application/x-www-form-urlencoded`). */
  contentType: string;
  /** The raw body as sent. */
  rawBody: string;
  /** The body's fields, decoded as the provider would (form, or JSON for Turnstile). */
  fields: Record<string, string>;
};

/** Options of {@link startCaptchaServer}. */
export type CaptchaServerOptions = {
  /** The secret every provider route expects. */
  secret?: string;
  /** The hostname a passing verdict carries. */
  hostname?: string;
  /** The action a passing verdict carries (reCAPTCHA v3, Turnstile). */
  action?: string;
  /** How long `slow` waits before answering. */
  slowMs?: number;
};

/** A running fake provider. */
export type CaptchaServer = {
  /** The verify URL of `provider` on this server. */
  url(provider: CaptchaServerProvider): string;
  /** Every request received, oldest first. */
  readonly calls: readonly CaptchaServerCall[];
  /** Forces one behaviour for every request whatever the token; `undefined` lets tokens choose again. */
  setBehaviour(behaviour: CaptchaBehaviour | undefined): void;
  /** Forces one reply for every request, ahead of any behaviour; `undefined` ends it. */
  setReply(reply: CaptchaServerReply | undefined): void;
  /** Forgets the recorded calls. */
  reset(): void;
  /** Stops listening, drops open connections and pending slow replies. */
  close(): Promise<void>;
};

const paths: Readonly<Record<CaptchaServerProvider, string>> = {
  turnstile: '/turnstile/v0/siteverify',
  recaptcha: '/recaptcha/api/siteverify',
  hcaptcha: '/siteverify',
};

const defaults = {
  secret: 'test-captcha-secret',
  hostname: 'app.example.com',
  action: 'signup',
  slowMs: 3000,
};

function providerOf(path: string): CaptchaServerProvider | undefined {
  return (Object.keys(paths) as CaptchaServerProvider[]).find((provider) => paths[provider] === path);
}

function decodeFields(provider: CaptchaServerProvider, contentType: string, body: string) {
  if (contentType === 'application/x-www-form-urlencoded') {
    return Object.fromEntries(new URLSearchParams(body));
  }
  // Only Turnstile also reads JSON; reCAPTCHA and hCaptcha find no parameters in a JSON body.
  if (provider === 'turnstile' && contentType === 'application/json') {
    try {
      const parsed: unknown = JSON.parse(body);
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
        return Object.fromEntries(
          Object.entries(parsed).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
        );
      }
    } catch {
      // Falls through: an unreadable body has no parameters.
    }
  }
  return {};
}

/** Starts a fake captcha provider on 127.0.0.1, on a free port. */
export async function startCaptchaServer(options: CaptchaServerOptions = {}): Promise<CaptchaServer> {
  const settings = { ...defaults, ...options };
  const calls: CaptchaServerCall[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let forced: CaptchaBehaviour | undefined;
  let forcedReply: CaptchaServerReply | undefined;

  function verdictFor(provider: CaptchaServerProvider, behaviour: CaptchaBehaviour): Record<string, unknown> {
    const challenge_ts = new Date().toISOString();
    const hostname = behaviour === 'wrong-hostname' ? 'evil.example.net' : settings.hostname;
    const action = behaviour === 'wrong-action' ? 'login' : settings.action;
    switch (provider) {
      case 'turnstile':
        return { success: true, 'error-codes': [], challenge_ts, hostname, action, cdata: '' };
      case 'recaptcha':
        return behaviour === 'pass-v2'
          ? { success: true, challenge_ts, hostname }
          : { success: true, score: behaviour === 'low-score' ? 0.1 : 0.9, action, challenge_ts, hostname };
      case 'hcaptcha':
        return { success: true, challenge_ts, hostname, credit: false };
    }
  }

  function failure(provider: CaptchaServerProvider, codes: string[]): Record<string, unknown> {
    return provider === 'turnstile'
      ? { success: false, 'error-codes': codes, messages: [] }
      : { success: false, 'error-codes': codes };
  }

  function send(response: ServerResponse, status: number, type: string, body: string): void {
    response.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
    response.end(body);
  }

  function answer(provider: CaptchaServerProvider, fields: Record<string, string>, response: ServerResponse) {
    const json = (status: number, value: unknown) =>
      send(response, status, 'application/json; charset=utf-8', JSON.stringify(value));
    // The providers check the secret and the response parameter before anything else.
    const missing = [
      ...(fields.secret === undefined || fields.secret === '' ? ['missing-input-secret'] : []),
      ...(fields.response === undefined || fields.response === '' ? ['missing-input-response'] : []),
    ];
    if (missing.length > 0) return json(200, failure(provider, missing));
    if (fields.secret !== settings.secret) return json(200, failure(provider, ['invalid-input-secret']));
    const named = fields.response?.split('.')[0] ?? '';
    const behaviour = forced ?? (behaviours.includes(named) ? (named as CaptchaBehaviour) : undefined);
    switch (behaviour) {
      case undefined:
      case 'fail':
        return json(200, failure(provider, ['invalid-input-response']));
      case 'duplicate':
        return json(200, failure(provider, ['timeout-or-duplicate']));
      case 'internal-error':
        return json(200, failure(provider, ['internal-error']));
      case 'refused':
        return json(400, failure(provider, ['bad-request']));
      case '500':
        return send(response, 500, 'text/html', '<html><body>Internal Server Error</body></html>');
      case '404':
        return send(response, 404, 'text/html', '<html><body>Not Found</body></html>');
      case 'garbage':
        return send(response, 200, 'application/json', '<html>definitely not json');
      case 'not-a-verdict':
        return json(200, { ok: true });
      case 'slow': {
        const timer = setTimeout(() => {
          timers.delete(timer);
          json(200, verdictFor(provider, 'pass'));
        }, settings.slowMs);
        timer.unref();
        timers.add(timer);
        return;
      }
      default:
        return json(200, verdictFor(provider, behaviour));
    }
  }

  function sendForced(reply: CaptchaServerReply, request: IncomingMessage, response: ServerResponse): void {
    if ('status' in reply) {
      const body = reply.body ?? '';
      response.writeHead(reply.status, {
        ...(reply.contentType === undefined ? {} : { 'content-type': reply.contentType }),
        'content-length': Buffer.byteLength(body),
        ...reply.headers,
      });
      response.end(body);
      return;
    }
    // Past the HTTP layer: the bytes go out exactly as given, and the socket ends as asked.
    const { socket } = request;
    socket.write(reply.raw, () => {
      if (reply.ending === 'close') socket.end();
      else if (reply.ending === 'reset') socket.resetAndDestroy();
    });
  }

  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
    const provider = providerOf(path);
    const contentType = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    readBody(request).then(
      (rawBody) => {
        const fields = provider === undefined ? {} : decodeFields(provider, contentType, rawBody);
        calls.push({ provider, method: request.method ?? '', path, contentType, rawBody, fields });
        if (forcedReply !== undefined) return sendForced(forcedReply, request, response);
        if (provider === undefined) return send(response, 404, 'text/plain', 'Not Found');
        if (request.method !== 'POST') return send(response, 405, 'text/plain', 'Method Not Allowed');
        answer(provider, fields, response);
      },
      () => response.destroy(),
    );
  });
  server.unref();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: (provider) => `http://127.0.0.1:${port}${paths[provider]}`,
    calls,
    setBehaviour(behaviour) {
      forced = behaviour;
    },
    setReply(reply) {
      forcedReply = reply;
    },
    reset() {
      calls.length = 0;
    },
    close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
