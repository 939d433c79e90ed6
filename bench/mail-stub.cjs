// A loopback SES v2 / SNS stand-in for the custom sender rows, in its own process: the bench runs its cold and
// warm processes synchronously, so a server in the bench's own process could not answer them. It accepts
// SendEmail (POST /v2/email/outbound-emails) and Publish (POST /, query or JSON protocol), keeps nothing, and
// prints its port on the first line of stdout.
'use strict';
const { createServer } = require('node:http');
const { randomUUID } = require('node:crypto');

const server = createServer((request, response) => {
  request.resume();
  request.on('end', () => {
    const json = String(request.headers['content-type'] ?? '').includes('json');
    if (request.url === '/v2/email/outbound-emails' || json) {
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify({ MessageId: randomUUID() }));
      return;
    }
    response.writeHead(200, { 'Content-Type': 'text/xml' });
    response.end(
      `<PublishResponse><PublishResult><MessageId>${randomUUID()}</MessageId></PublishResult><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></PublishResponse>`,
    );
  });
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`${server.address().port}\n`));
// Ends with its parent: stdin closes when the bench exits.
process.stdin.on('end', () => server.close(() => process.exit(0)));
process.stdin.resume();
