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
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-leads-key': secret },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
  } catch (error) {
    // fetch says only "fetch failed"; what went wrong (ECONNREFUSED, a bad host) is in its cause.
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const reason = cause?.code ?? cause?.message ?? (error as Error).message;
    const hint =
      cause?.code === 'ECONNREFUSED'
        ? ' Is the bot running? Start it with `npm run dev` (or `npm start`), or pass --url.'
        : '';
    process.stderr.write(`Could not send the lead to ${url}: ${reason}.${hint}\n`);
    process.exit(1);
  }
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
