import { describe, expect, it } from 'vitest';
import { renderTemplate } from '../../../../triggers/custom-message/render-template.js';
import { compileTemplate, TemplateError } from '../../../../triggers/custom-message/template-syntax.js';
import type { TemplateScope } from '../../../../triggers/custom-message/template-variables.js';
import { errorOf } from '../../../support/outcomes.js';

const body: TemplateScope = { kind: 'message', source: 'CustomMessage_SignUp', field: 'emailMessage' };
const sms: TemplateScope = { kind: 'message', source: 'CustomMessage_SignUp', field: 'smsMessage' };
const subject: TemplateScope = { kind: 'message', source: 'CustomMessage_SignUp', field: 'emailSubject' };
const linkBody: TemplateScope = {
  kind: 'link-message',
  source: 'CustomMessage_SignUp',
  field: 'emailMessage',
};
const invitation: TemplateScope = {
  kind: 'message',
  source: 'CustomMessage_AdminCreateUser',
  field: 'emailMessage',
};

describe('Rule: compileTemplate', () => {
  it('compiles text, variables and sections into parts', () => {
    // Prepare
    const text =
      '<p>{{#given_name}}Hi {{given_name}}{{/given_name}}{{^given_name}}Hi{{/given_name}}: {{code}}</p>';

    // Act
    const parts = compileTemplate('t', text, body);

    // Assess
    expect(parts).toEqual([
      '<p>',
      { s: 'given_name', p: ['Hi ', { v: 'given_name' }] },
      { s: 'given_name', p: ['Hi'], not: true },
      ': ',
      { v: 'code' },
      '</p>',
    ]);
  });

  it.each([
    ['an unknown variable', 'Code {{code}} for {{first_name}}', body, 'unknown variable "first_name"'],
    [
      'the username outside the invitation',
      '{{code}} {{username}}',
      body,
      'may not use the variable "username"',
    ],
    ['a section on the code', '{{#code}}x{{/code}}{{code}}', body, 'never optional'],
    ['an unclosed section', '{{code}}{{#given_name}}x', body, 'open'],
    ['a stray closing tag', '{{code}}{{/given_name}}', body, 'not open'],
    ['a malformed tag', '{{code}} {{ code', body, 'malformed'],
    ['a hard-coded placeholder', 'Your code is {####}', body, 'hard-codes'],
    ['a body without the code', 'Hello {{given_name}}', body, 'must contain {{code}}'],
    [
      'the code only inside a section',
      '{{#given_name}}{{code}}{{/given_name}}',
      body,
      'must contain {{code}}',
    ],
    ['an invitation without the username', '{{code}}', invitation, 'must contain {{username}}'],
    ['HTML in an SMS', '<b>{{code}}</b>', sms, 'contains HTML'],
    ['HTML in a subject', 'Your <b>code</b>', subject, 'contains HTML'],
    ['a non-breaking space in a subject', 'Votre code\u00a0:', subject, 'U+00A0'],
    ['a zero-width joiner in a body', '{{code}}\u200d', body, 'U+200D'],
    ['a control character in an SMS', '{{code}}\u0007', sms, 'U+0007'],
    ['a line break in a subject', 'Your\ncode', subject, 'line break'],
    // Issue 10 §1: only Cognito's placeholders may bring braces, and caller text may not form a link.
    ['a brace in the text', '{{code}} {x}', body, 'brace in its text'],
    ['a fullwidth brace in the text', '{{code}} \uFF5B####\uFF5D', body, 'brace in its text'],
    ['a caller value in an attribute', '<a title="{{given_name}}">{{code}}</a>', body, 'inside an HTML tag'],
    ['a caller value in a URL', '{{code}} https://{{nickname}}.example.com', body, 'against "/"'],
    ['a caller value before a host', '{{code}} {{nickname}}.example', body, 'against ".e"'],
    ['a caller value after www.', '{{code}} www.{{nickname}}', sms, 'against "."'],
    ['a caller value joined to a word', '{{code}} Hi{{given_name}}', sms, 'against "i"'],
    ['a caller value joined to a placeholder', '{{code}}{{given_name}}', sms, 'against "}"'],
    ['a link-mode email without the link', 'Hi {{given_name}}', linkBody, 'must contain {{cognitoLink}}'],
    [
      'the code in a link-mode email',
      '{{cognitoLink}} {{code}}',
      linkBody,
      'may not use the variable "code"',
    ],
    [
      'the link placeholder outside link mode',
      '{{code}} {{cognitoLink}}',
      body,
      'may not use the variable "cognitoLink"',
    ],
  ] as const)('refuses %s', (_label, text, scope, reason) => {
    // Prepare
    const compile = () => compileTemplate('fr/sign-up.yaml#field', text, scope);

    // Act
    const error = errorOf(TemplateError, compile);

    // Assess
    expect({ template: error.template, reason: error.reason }).toEqual({
      template: 'fr/sign-up.yaml#field',
      reason: expect.stringContaining(reason),
    });
  });

  it('refuses {{link}} in the AdminCreateUser invitation: a temporary password must not travel in a URL', () => {
    // Prepare
    const compile = () => compileTemplate('t', '{{username}} {{code}} {{link}}', invitation);

    // Act
    const error = errorOf(TemplateError, compile);

    // Assess
    expect(error.reason).toContain('may not use the variable "link"');
  });
});

describe('Rule: renderTemplate', () => {
  it.each([
    ['a greeting with a comma', '<p>Hello {{given_name}},</p>{{code}}'],
    [
      'a Spanish greeting with a colon',
      '<p>{{#given_name}}Hola, {{given_name}}:{{/given_name}}{{^given_name}}Hola:{{/given_name}}</p>{{code}}',
    ],
    ['a sentence ending after the name', '<p>Welcome {{given_name}}.</p>{{code}}'],
  ])('accepts a caller value in %s', (_label, text) => {
    // Act
    const compile = () => compileTemplate('t', text, body);

    // Assess
    expect(compile).not.toThrow();
  });

  it('HTML-escapes operator and caller values in html mode', () => {
    // Prepare
    const parts = compileTemplate('t', '<p>{{appName}}, {{given_name}} {{code}}</p>', body);

    // Act
    const { text } = renderTemplate(
      parts,
      { appName: `A&B "C" <D>`, given_name: "Ann O'Neil", code: '{####}' },
      'html',
      64,
    );

    // Assess
    expect(text).toBe('<p>A&amp;B &quot;C&quot; &lt;D&gt;, Ann O&#39;Neil {####}</p>');
  });

  it('leaves operator values unescaped but sanitised in text mode', () => {
    // Prepare
    const parts = compileTemplate('t', '{{appName}}: {{code}}', sms);

    // Act
    const { text } = renderTemplate(parts, { appName: 'A&B\u0000\u00a0<C>', code: '{####}' }, 'text', 64);

    // Assess
    expect(text).toBe('A&B <C>: {####}');
  });

  it('withholds a caller value that does not read as a name, and says so', () => {
    // Prepare: markup in a user attribute (docs/cognito-contract.md §3a)
    const parts = compileTemplate('t', '<p>Hi {{given_name}}, {{code}}</p>', body);

    // Act
    const result = renderTemplate(
      parts,
      { given_name: `<img src=x onerror="a('b')">&`, code: '{####}' },
      'html',
      64,
    );

    // Assess
    expect(result).toEqual({ text: '<p>Hi , {####}</p>', missing: [], withheld: ['given_name'] });
  });

  it.each(['{####}', '{##Verify Email##}', '%&#<>"'])(
    'inserts the code placeholder %s exactly as received',
    (code) => {
      // Prepare
      const parts = compileTemplate('t', '{{code}}', body);

      // Act
      const { text } = renderTemplate(parts, { code }, 'html', 64);

      // Assess
      expect(text).toBe(code);
    },
  );

  it('reports a verbatim variable without a value as missing', () => {
    // Prepare
    const parts = compileTemplate('t', '{{username}} {{code}}', invitation);

    // Act
    const { missing } = renderTemplate(parts, { code: '{####}' }, 'html', 64);

    // Assess
    expect(missing).toEqual(['username']);
  });

  it('renders an inverted section when the user value is blank after sanitising', () => {
    // Prepare
    const parts = compileTemplate(
      't',
      '{{#given_name}}Hi {{given_name}}{{/given_name}}{{^given_name}}Hi{{/given_name}} {{code}}',
      body,
    );

    // Act
    const { text } = renderTemplate(parts, { given_name: '\u200b\u0000 ', code: '1' }, 'html', 64);

    // Assess
    expect(text).toBe('Hi 1');
  });
});
