// A loopback stand-in for the OpenAI chat completions API that answers at once, for bench/gateway.sh.
// Speaks the real wire format: JSON with usage, or SSE chunks ending in a usage chunk and [DONE] when
// the request asks for `stream: true`. Node 20, no dependencies. Binds 127.0.0.1 only.
//
//   node bench/fake-openai.mjs <port> [json-reply-file]
//
// With a json-reply-file, a request for JSON output (`response_format`) is answered with that file's text, read at
// each request (bench/gateway.sh's cache mode writes a valid plan there once it has one).
import { createServer } from 'node:http';
import { existsSync, readFileSync } from 'node:fs';

const port = Number(process.argv[2] ?? 0);
const jsonReplyFile = process.argv[3];
const chatReply = 'Do 3 sets of 8 goblet squats, resting 90 s between sets, and add 2.5 kg when all sets feel easy.';
let served = 0;

function completion(model, stream, reply) {
  const id = `chatcmpl-bench${(++served).toString(36)}`;
  const created = Math.floor(Date.now() / 1000);
  const usage = { prompt_tokens: 180, completion_tokens: 24, total_tokens: 204 };
  if (!stream) {
    return JSON.stringify({
      id, object: 'chat.completion', created, model,
      choices: [{ index: 0, message: { role: 'assistant', content: reply, refusal: null }, logprobs: null, finish_reason: 'stop' }],
      usage, system_fingerprint: 'fp_bench',
    });
  }
  const chunk = (choices, extra = {}) => `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, system_fingerprint: 'fp_bench', choices, ...extra })}\n\n`;
  return chunk([{ index: 0, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null }])
    + chunk([{ index: 0, delta: { content: reply }, logprobs: null, finish_reason: null }])
    + chunk([{ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' }])
    + chunk([], { usage })
    + 'data: [DONE]\n\n';
}

const server = createServer((req, res) => {
  const parts = [];
  req.on('data', (c) => parts.push(c));
  req.on('end', () => {
    if (req.method !== 'POST' || !req.url.endsWith('/chat/completions')) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: 'not found', type: 'invalid_request_error' } }));
      return;
    }
    let body = {};
    try { body = JSON.parse(Buffer.concat(parts).toString('utf8')); } catch { /* answered below */ }
    const stream = body.stream === true;
    res.writeHead(200, { 'content-type': stream ? 'text/event-stream' : 'application/json', 'x-request-id': `req_${served}` });
    const wantsJson = body.response_format != null && jsonReplyFile && existsSync(jsonReplyFile);
    res.end(completion(body.model ?? 'gpt-4o-mini', stream, wantsJson ? readFileSync(jsonReplyFile, 'utf8') : chatReply));
  });
});
server.keepAliveTimeout = 60_000;
server.listen(port, '127.0.0.1', () => console.log(`fake-openai listening on 127.0.0.1:${server.address().port}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
