// `npm run send-sample-lead [-- --kind contact-me|get-it-now|azure-portal-create|test-drive|do-not-contact|test-lead]`
// Posts a realistic marketplace lead to the local bot, as Partner Center would.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: { kind: { type: 'string', default: 'contact-me' }, url: { type: 'string' } },
});
const port = process.env.PORT || '3978';
const url = values.url ?? `http://localhost:${port}/api/leads`;
const secret = process.env.LEADS_WEBHOOK_SECRET || 'local-dev-secret-0123456789';

const lead = JSON.parse(
  readFileSync(new URL(`../test/fixtures/leads/${values.kind}.json`, import.meta.url), 'utf8'),
);

async function send(body: unknown): Promise<{ status: number; text: string }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-leads-key': secret },
    body: JSON.stringify(body),
  });
  return { status: response.status, text: await response.text() };
}

let answer = await send(lead);
if (answer.text.includes('"duplicate"') && values.kind !== 'test-lead') {
  // Sent before: vary the e-mail so trying again shows a new card rather than a duplicate.
  const details = lead.UserDetails ?? lead.userDetails;
  const key = 'Email' in details ? 'Email' : 'email';
  details[key] = details[key].replace('@', `+${Date.now().toString(36)}@`);
  answer = await send(lead);
}
console.log(`${answer.status} ${answer.text}`);
process.exitCode = answer.status === 202 ? 0 : 1;
