import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cognitoLocalSource, inboxSource, messageSourceOf } from '../../../conformance/messages.js';
import { InvalidOptionError } from '../../../local/errors.js';
import { createInbox } from '../../../local/inbox.js';
import { errorOf } from '../../support/outcomes.js';

const POOL_ID = 'local_5cYxGw1k';

/** The header block local/inbox.ts writes above an email (it ends with a new line). */
function header(to: string, subject: string): string {
  return `From: the user pool\nTo: ${to}\nSubject: ${subject}\nDate: 2025-01-01T00:00:00.000Z\n`;
}

type Delivered = { to: string; code: string; subject: string; body: string; custom?: boolean };

/** Delivers a message into the inbox folder `directory` as local/inbox.ts does: its file, then its line. */
function deliver(directory: string, sequence: number, message: Delivered): string {
  const html = /<[a-z][\s\S]*>/i.test(message.body);
  const file = join(directory, `${String(sequence).padStart(4, '0')}-sign-up.${html ? 'html' : 'txt'}`);
  const head = header(message.to, message.subject);
  writeFileSync(
    file,
    html ? `<!--\n${head.replaceAll('--', '- -')}-->\n${message.body}` : `${head}\n${message.body}\n`,
  );
  const line = {
    sequence,
    channel: 'email',
    to: message.to,
    userName: `user-${sequence}`,
    source: 'CustomMessage_SignUp',
    subject: message.subject,
    code: message.code,
    ...(message.custom === undefined ? {} : { custom: message.custom }),
    file,
    at: '2025-01-01T00:00:00.000Z',
  };
  appendFileSync(join(directory, 'messages.jsonl'), `${JSON.stringify(line)}\n`);
  return file;
}

/** cognito-local's data file of `POOL_ID` in `directory`, with these users (sub -> email and code). */
function writePool(directory: string, users: Record<string, { email: string; code?: string }>): void {
  const entries = Object.entries(users).map(([sub, user]) => [
    sub,
    {
      Username: sub,
      Attributes: [
        { Name: 'sub', Value: sub },
        { Name: 'email', Value: user.email },
      ],
      UserStatus: 'UNCONFIRMED',
      ...(user.code === undefined ? {} : { ConfirmationCode: user.code }),
    },
  ]);
  writeFileSync(
    join(directory, `${POOL_ID}.json`),
    JSON.stringify({ Options: { Id: POOL_ID }, Users: Object.fromEntries(entries) }),
  );
}

let directory: string;
beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'conformance-messages-'));
});
afterEach(() => {
  rmSync(directory, { recursive: true, force: true });
});

describe('Conformance: inboxSource', () => {
  it('reads the code, subject, custom flag and text body of a message', () => {
    // Prepare
    deliver(directory, 1, {
      to: 'k1.a@example.com',
      code: '123456',
      subject: 'Your code',
      body: 'Hello,\n\nyour code is 123456.',
      custom: true,
    });

    // Act
    const message = inboxSource(directory).latest('k1.a@example.com', POOL_ID);

    // Assess
    expect(message).toEqual({
      code: '123456',
      custom: true,
      subject: 'Your code',
      body: 'Hello,\n\nyour code is 123456.',
    });
  });

  it('reads the body of an HTML message after its header comment', () => {
    // Prepare
    deliver(directory, 1, {
      to: 'k1.a@example.com',
      code: '654321',
      subject: 'Welcome -- confirm',
      body: '<p>Your code is <b>654321</b></p>',
      custom: false,
    });

    // Act
    const message = inboxSource(directory).latest('k1.a@example.com', POOL_ID);

    // Assess
    expect(message?.body).toBe('<p>Your code is <b>654321</b></p>');
    expect(message?.custom).toBe(false);
  });

  it('gives the latest message to the address, not one to another address', () => {
    // Prepare
    deliver(directory, 1, { to: 'k1.a@example.com', code: '111111', subject: 'First', body: 'one' });
    deliver(directory, 2, { to: 'k1.a@example.com', code: '222222', subject: 'Second', body: 'two' });
    deliver(directory, 3, { to: 'k2.b@example.com', code: '333333', subject: 'Other', body: 'three' });

    // Act
    const message = inboxSource(directory).latest('k1.a@example.com', POOL_ID);

    // Assess
    expect(message).toMatchObject({ code: '222222', subject: 'Second', body: 'two' });
  });

  it('leaves out what a line does not say, and the body when its file is gone', () => {
    // Prepare
    const file = deliver(directory, 1, { to: 'k1.a@example.com', code: '123456', subject: 'S', body: 'b' });
    rmSync(file);

    // Act
    const message = inboxSource(directory).latest('k1.a@example.com', POOL_ID);

    // Assess
    expect(message).toEqual({ code: '123456', subject: 'S' });
  });

  it('finds nothing for an address no message went to', () => {
    // Prepare
    deliver(directory, 1, { to: 'k1.a@example.com', code: '123456', subject: 'S', body: 'b' });

    // Act
    const message = inboxSource(directory).latest('k9.z@example.com', POOL_ID);

    // Assess
    expect(message).toBeUndefined();
  });

  it('finds nothing in a folder where no message arrived yet', () => {
    // Prepare
    const source = inboxSource(join(directory, 'not-there'));

    // Act
    const message = source.latest('k1.a@example.com', POOL_ID);

    // Assess
    expect(source.readsText).toBe(true);
    expect(message).toBeUndefined();
  });

  it("reads back the local pipeline's own inbox, text and HTML alike", async () => {
    // Prepare
    const inbox = createInbox({ directory });
    const user = { Username: 'sub-1', Attributes: [{ Name: 'email', Value: 'k1.a@example.com' }] };
    await inbox.sendEmail(undefined, user, 'k1.a@example.com', {
      __code: '111111',
      emailSubject: 'Plain',
      emailMessage: 'Your code is 111111.\n\nThanks.',
    });
    await inbox.sendEmail(undefined, user, 'k2.b@example.com', {
      __code: '222222',
      emailSubject: 'Rich -- text',
      emailMessage: '<p>Your code is 222222.</p>',
    });
    const source = inboxSource(directory);

    // Act
    const messages = [source.latest('k1.a@example.com', POOL_ID), source.latest('k2.b@example.com', POOL_ID)];

    // Assess
    expect(messages).toEqual([
      { code: '111111', custom: true, subject: 'Plain', body: 'Your code is 111111.\n\nThanks.' },
      { code: '222222', custom: true, subject: 'Rich -- text', body: '<p>Your code is 222222.</p>' },
    ]);
  });

  it('reads the folder afresh at every call', () => {
    // Prepare
    const source = inboxSource(directory);
    const before = source.latest('k1.a@example.com', POOL_ID);

    // Act
    deliver(directory, 1, { to: 'k1.a@example.com', code: '123456', subject: 'S', body: 'b' });
    const after = source.latest('k1.a@example.com', POOL_ID);

    // Assess
    expect(before).toBeUndefined();
    expect(after?.code).toBe('123456');
  });
});

describe('Conformance: cognitoLocalSource', () => {
  it("gives the code of the pool's user with that email, and nothing of the text", () => {
    // Prepare
    writePool(directory, {
      'a1b2c3d4-0000-4000-8000-000000000001': { email: 'k1.a@example.com', code: '123456' },
      'a1b2c3d4-0000-4000-8000-000000000002': { email: 'k2.b@example.com', code: '654321' },
    });
    const source = cognitoLocalSource(directory);

    // Act
    const message = source.latest('k2.b@example.com', POOL_ID);

    // Assess
    expect(source.readsText).toBe(false);
    expect(message).toEqual({ code: '654321' });
  });

  it('gives nothing for a user without a code, an unknown address or another pool', () => {
    // Prepare
    writePool(directory, { 'a1b2c3d4-0000-4000-8000-000000000001': { email: 'k1.a@example.com' } });
    const source = cognitoLocalSource(directory);

    // Act
    const found = [
      source.latest('k1.a@example.com', POOL_ID),
      source.latest('k9.z@example.com', POOL_ID),
      source.latest('k1.a@example.com', 'local_Other123'),
    ];

    // Assess
    expect(found).toEqual([undefined, undefined, undefined]);
  });

  it('reads the data file afresh at every call', () => {
    // Prepare
    const sub = 'a1b2c3d4-0000-4000-8000-000000000001';
    writePool(directory, { [sub]: { email: 'k1.a@example.com', code: '111111' } });
    const source = cognitoLocalSource(directory);
    const first = source.latest('k1.a@example.com', POOL_ID);

    // Act
    writePool(directory, { [sub]: { email: 'k1.a@example.com', code: '222222' } });
    const second = source.latest('k1.a@example.com', POOL_ID);

    // Assess
    expect([first?.code, second?.code]).toEqual(['111111', '222222']);
  });
});

describe('Conformance: messageSourceOf', () => {
  it('reads inbox:<dir> as the inbox in that folder', () => {
    // Prepare
    deliver(directory, 1, { to: 'k1.a@example.com', code: '123456', subject: 'S', body: 'b' });

    // Act
    const source = messageSourceOf(`inbox:${directory}`);

    // Assess
    expect(source.description).toBe(`inbox:${directory}`);
    expect(source.readsText).toBe(true);
    expect(source.latest('k1.a@example.com', POOL_ID)?.code).toBe('123456');
  });

  it('reads cognito-local:<dir> as that data folder', () => {
    // Prepare
    writePool(directory, {
      'a1b2c3d4-0000-4000-8000-000000000001': { email: 'k1.a@example.com', code: '9' },
    });

    // Act
    const source = messageSourceOf(`cognito-local:${directory}`);

    // Assess
    expect(source.description).toBe(`cognito-local:${directory}`);
    expect(source.readsText).toBe(false);
    expect(source.latest('k1.a@example.com', POOL_ID)).toEqual({ code: '9' });
  });

  it('resolves a relative folder from the working directory', () => {
    // Prepare
    const option = 'inbox:some/relative/inbox';

    // Act
    const source = messageSourceOf(option);

    // Assess
    expect(source.description).toBe(`inbox:${resolve('some/relative/inbox')}`);
  });

  it.each([
    ['an unknown kind', `maildir:/tmp/inbox`],
    ['no kind', '/tmp/inbox'],
    ['nothing', ''],
    ['a kind in another case', 'INBOX:/tmp/inbox'],
  ])('refuses %s with InvalidOptionError naming --messages', (_case, option) => {
    // Prepare
    const given = option;

    // Act
    const error = errorOf(InvalidOptionError, () => messageSourceOf(given));

    // Assess
    expect(error.option).toBe('messages');
    expect(error.value).toBe(given);
    expect(error.message).toBe(`--messages must be inbox:<dir> or cognito-local:<dir>, not "${given}"`);
  });
});
