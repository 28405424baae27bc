import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Locator, Page, Route } from 'playwright-core';
import { ensureConsoleBuilt } from '../../lambdas/client/web/build';
import type { LocalRuntime } from '../../lambdas/local/runtime';
import { assertText, launchChromium, screenshot, seriousViolations } from './console/browser';
import { startTestRuntime } from './runtime-fixture';

// One browser, one runtime, the journeys in order: each step builds on the one before.
jest.setTimeout(120_000);

const CONTACT = { phone: '(305) 555-0142', e164: '+13055550142', name: 'Ana Lopez' };

let runtime: LocalRuntime;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const cspViolations: string[] = [];

beforeAll(async () => {
  const consoleDir = ensureConsoleBuilt();
  [runtime, browser] = await Promise.all([startTestRuntime({ consoleDir }), launchChromium()]);
  context = await browser.newContext({ viewport: { width: 360, height: 780 } });
  page = await context.newPage();
  page.on('console', (message) => {
    if (message.text().includes('Content Security Policy')) cspViolations.push(message.text());
  });
});

afterAll(async () => {
  await browser?.close();
  await runtime?.stop();
});

const CONTACTS_API = '**/v1/contacts/*';

/** The contacts API's answer to a failed request: `status` with the error body the API sends. */
const apiError = (status: number, error: string, message: string) => (route: Route) =>
  route.fulfill({ status, contentType: 'application/json', body: JSON.stringify({ error, message }) });

/** Clicks `button` while the contacts API answers with `answer`, and waits for `notice` to say `text`. */
async function clickWhileContactsAnswer(
  button: Locator,
  answer: (route: Route) => Promise<void>,
  notice: Locator,
  text: RegExp,
): Promise<void> {
  await page.route(CONTACTS_API, answer);
  await button.click();
  await assertText(notice, text);
  await page.unroute(CONTACTS_API);
}

/**
 * Follows the navigation link `link` and waits for the page's heading `heading`: the console
 * renders the next page after the click returns, and a label the two pages share ("Agent id",
 * "Phone") would otherwise be filled on the page being left.
 */
async function openPage(link: string, heading: string): Promise<void> {
  await page.getByRole('link', { name: link, exact: true }).click();
  await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
}

/** Screenshots at phone and desktop width, and the accessibility check, of the page as it is. */
async function assertReviewed(name: string): Promise<void> {
  expect(await seriousViolations(page)).toEqual([]);
  await screenshot(page, `${name}-360`);
  await page.setViewportSize({ width: 1280, height: 900 });
  await screenshot(page, `${name}-1280`);
  await page.setViewportSize({ width: 360, height: 780 });
}

async function signIn(key: string): Promise<void> {
  await page.getByLabel('API key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

describe('the agent journey', () => {
  test('sign-in refuses an unknown key next to the field, then accepts the agent key', async () => {
    const response = await page.goto(`${runtime.baseUrl}/`);
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    await assertReviewed('sign-in');
    await signIn('cl_not_a_key');
    await assertText(page.locator('#api-key-error'), /unknown.* API key/);
    await signIn(runtime.demo!.apiKey);
    await page.getByRole('heading', { name: 'Contacts' }).waitFor();
    expect(await page.evaluate('sessionStorage.length')).toBe(1);
    expect(page.url()).not.toContain(runtime.demo!.apiKey);
  });

  test('adds a contact and lands on its page', async () => {
    await openPage('Add contact', 'Add a contact');
    await page.getByLabel('Phone').fill(CONTACT.phone);
    await page.getByLabel('Name').fill(CONTACT.name);
    await page.getByLabel('State (USPS code)').fill('FL');
    await page.getByLabel(/Time zone/).fill('America/New_York');
    await assertReviewed('add-contact');
    await page.getByRole('button', { name: 'Add contact' }).click();
    await page.getByRole('heading', { name: new RegExp(CONTACT.name) }).waitFor();
    expect(decodeURIComponent(page.url())).toContain(`#/contacts/${CONTACT.e164}`);
  });

  test('a method that is not consent is refused with the reason next to it', async () => {
    await page.getByLabel('Method').selectOption('business_card');
    await page.getByLabel('Captured by').first().fill('Dana Reyes');
    await page.getByLabel('Evidence').fill('Business card left at the open house');
    await page.getByRole('button', { name: 'Log consent' }).click();
    await assertText(page.locator('#consent-method-error'), /business card implies a call/);
    // What was typed is still there to correct.
    expect(await page.getByLabel('Evidence').inputValue()).toBe('Business card left at the open house');
  });

  test('written consent is logged and the consent card shows it', async () => {
    await page.getByLabel('Method').selectOption('signed_form');
    await page.getByLabel('Evidence').fill('Signed listing agreement §7, texts authorized');
    await page.getByRole('button', { name: 'Log consent' }).click();
    await page.getByText(/^Logged: Express written consent/).waitFor();
    await assertText(page.locator('.card-badge'), /^Consented$/);
    await page.locator('.timeline').getByText('express written').waitFor();
  });

  test('enrolls, previews the steps and edits one', async () => {
    await page.getByRole('button', { name: 'Enroll in the cadence' }).click();
    await page.getByRole('heading', { name: 'Upcoming steps' }).waitFor();
    const first = page.locator('.step').first();
    await assertText(first.locator('.final-text'), /\S/);
    await assertText(first, /segment/);
    await assertText(first.locator('.verdict'), /Predicted: (Sends|Held|Blocked)/);
    await assertReviewed('contact-enrolled');
    await first.getByRole('button', { name: /^Edit step/ }).click();
    await first.getByRole('textbox').fill('Hi Ana, one year in your new home: how is it going?');
    await first.getByRole('button', { name: /^Save step/ }).click();
    await assertText(page.locator('.step').first().locator('.final-text'), /one year in your new home/);
  });

  test('after the contact texts STOP, the badge is Opted out and the next send is blocked with the reason', async () => {
    // The contact's phone texts the agent's number through the Twilio stand-in, as a real phone would.
    const reply = await fetch(`${runtime.baseUrl}/local/phone/sms`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ from: CONTACT.e164, to: runtime.demo!.senderNumber, body: 'STOP' }),
    });
    expect(reply.status).toBe(200);
    await runtime.settle();
    await page.reload();
    await assertText(page.locator('.card-badge'), /^Opted out$/);
    const before = page.getByLabel('Before you send');
    await assertText(before, /Predicted: Blocked/);
    await page.getByLabel('Text to send').fill('Are you free for a call this week?');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    const after = page.locator('.sent');
    await assertText(after, /Blocked/);
    await assertText(after.locator('.reasons li').first(), /\S/);
    await assertReviewed('contact-opted-out');
  });

  test('the contacts list shows the badge and finds the contact by name', async () => {
    await openPage('Contacts', 'Contacts');
    await page.getByLabel('Search contacts').fill('Ana');
    await page.getByRole('button', { name: 'Search' }).click();
    const row = page.locator('.row', { hasText: CONTACT.name });
    await assertText(row.locator('.badge'), /^Opted out$/);
    await assertReviewed('contacts');
  });

  test('a failed request says so and keeps what was typed; a refused key sends back to sign-in', async () => {
    await openPage('Add contact', 'Add a contact');
    await page.getByLabel('Phone').fill('(305) 555-0143');
    await page.getByLabel('Name').fill('Luis Vega');
    const save = page.getByRole('button', { name: 'Add contact' });

    await clickWhileContactsAnswer(
      save,
      (route) => route.abort('connectionrefused'),
      page.locator('.notice-unavailable'),
      /could not be reached/,
    );
    await clickWhileContactsAnswer(
      save,
      apiError(503, 'unavailable', 'try later'),
      page.locator('.notice-unavailable'),
      /HTTP 503/,
    );
    expect(await page.getByLabel('Phone').inputValue()).toBe('(305) 555-0143');
    expect(await page.getByLabel('Name').inputValue()).toBe('Luis Vega');
    await clickWhileContactsAnswer(
      save,
      apiError(401, 'unauthorized', 'unknown API key'),
      page.locator('.sign-in .notice'),
      /Signed out: unknown API key/,
    );
    expect(await page.evaluate('sessionStorage.length')).toBe(0);
    await signIn(runtime.demo!.apiKey);
    await page.getByRole('heading', { name: 'Contacts' }).waitFor();
  });

  test('Sign out forgets the key', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('API key').waitFor();
    expect(await page.evaluate('sessionStorage.length')).toBe(0);
  });
});

describe('the admin journey', () => {
  test('creates an agent and suspends it with a reason', async () => {
    await signIn(runtime.adminKey);
    await page.getByRole('heading', { name: 'Agents' }).waitFor();
    await page.getByLabel('Agent name').fill('Sam Ortiz');
    await page.getByLabel('Brokerage').fill('Harbor Realty');
    await page.getByLabel(/Texts from/).fill('+13055550177');
    await page.getByLabel(/Forward replies to/).fill('+13055550177');
    await page.getByRole('button', { name: 'Create agent' }).click();
    // The API's refusal is shown next to the field it names, and what was typed stays.
    await assertText(page.locator('#agent-forwardTo-error'), /must differ from senderNumber/);
    expect(await page.getByLabel('Agent name').inputValue()).toBe('Sam Ortiz');
    await page.getByLabel(/Forward replies to/).fill('+13055550178');
    await page.getByRole('button', { name: 'Create agent' }).click();
    await assertText(page.locator('.api-key'), /\S{20,}/);
    const agentId = (await page.locator('.agent-id').textContent()) ?? '';
    await assertReviewed('agents');
    await page.getByLabel('Agent id').fill(agentId);
    await page.getByRole('button', { name: 'Suspend' }).click();
    await assertText(page.locator('#suspend-reason-error'), /Say why/);
    await page.getByLabel('Reason for suspension').fill('Complaint under review');
    await page.getByRole('button', { name: 'Suspend' }).click();
    await assertText(page.locator('.agent-status').first(), /Suspended: Complaint under review/);
  });

  test('exports the audit of an agent as CSV', async () => {
    await openPage('Audit export', 'Audit export');
    await page.getByLabel('Agent id').fill(runtime.demo!.agentId);
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('table').waitFor();
    await assertReviewed('audit');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    const csv = readFileSync((await download.path())!, 'utf8');
    const [header, ...rows] = csv.trim().split(/\r\n/);
    expect(header).toMatch(/^messageId,agentId,phone,kind,purpose,status,createdAt,verdict,reasons/);
    expect(rows.some((row) => row.includes(CONTACT.e164) && row.includes('blocked'))).toBe(true);
  });

  test('shows a phone’s whole record with the ledger verified', async () => {
    await openPage('Phone record', 'Phone record');
    await page.getByLabel('Phone').fill(CONTACT.e164);
    await page.getByRole('button', { name: 'Show the record' }).click();
    await page.getByText(/^Ledger verified/).waitFor();
    await page.getByRole('heading', { name: 'Opt-outs' }).waitFor();
    await assertReviewed('phone-record');
  });

  test('no page broke the Content-Security-Policy', () => {
    expect(cspViolations).toEqual([]);
  });
});
