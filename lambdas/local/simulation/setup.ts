import { ConsentLineApiError, type ImportRowInput } from '../../client';
import { mapBounded } from '../../usecases/bounded';
import { adminClient, agentClient, count, unexpected, type RunContext } from './context';
import type { ContactPlan, Population } from './population';

const DAY_MS = 86_400_000;
// Each row costs a Lookup request (line type) as well as its writes: 100-row imports, one at a
// time, stay inside the import function's 30 s on two cores busy with other work.
const IMPORT_ROWS = 100;
const IMPORTS_IN_FLIGHT = 1;

/** When a contact's consent (closing, inquiry) happened, before `now`. */
export function consentInstant(contact: ContactPlan, now: Date): string {
  return new Date(now.getTime() - contact.consentDaysBefore * DAY_MS).toISOString();
}

function importRow(contact: ContactPlan, now: Date, capturedBy: string): ImportRowInput {
  const row: ImportRowInput = { phone: contact.phone, name: contact.name, ...contact.signals };
  const at = consentInstant(contact, now);
  if (contact.consent === 'ebr_transaction') row.closingDate = at.slice(0, 10);
  if (contact.consent === 'express_import') {
    row.consent = {
      method: contact.method,
      at,
      capturedBy,
      evidence: `${contact.method} on file, SMS clause v3`,
    };
  }
  // Evidence without who captured it or what was said: the contact is imported, its consent is not.
  if (contact.consent === 'import_partial') row.consent = { method: contact.method, at };
  return row;
}

/**
 * The run's starting state, at the start instant: the agents (admin API), every contact that
 * exists from day one (bulk imports, consent only with full evidence), and the consent events
 * agents log over the API for them — inquiries, closings, email-only consent, and methods the
 * intake must refuse.
 */
export async function setUpPopulation(
  context: RunContext,
  population: Population,
  lateContacts: Set<ContactPlan>,
): Promise<void> {
  const { runtime } = context;
  const admin = adminClient(runtime);
  for (const plan of population.agents) {
    const { agentId, apiKey } = await admin.agents.create({
      name: plan.name,
      brokerage: plan.brokerage,
      senderNumber: plan.senderNumber,
      forwardTo: plan.forwardTo,
      doubleOptIn: plan.doubleOptIn,
    });
    context.agents.push({ ...plan, agentId, api: agentClient(runtime, apiKey) });
  }

  const now = runtime.clock.now();
  const imports: Array<{ agent: number; rows: ImportRowInput[] }> = [];
  for (const agent of context.agents) {
    const rows = population.contacts
      .filter((contact) => !lateContacts.has(contact) && contact.agents.includes(agent.index))
      .map((contact) => importRow(contact, now, agent.name));
    for (let first = 0; first < rows.length; first += IMPORT_ROWS)
      imports.push({ agent: agent.index, rows: rows.slice(first, first + IMPORT_ROWS) });
  }
  await mapBounded(imports, IMPORTS_IN_FLIGHT, async ({ agent, rows }) => {
    const { summary } = await context.agents[agent]!.api.imports.create(rows);
    count(context, 'import', 'rows', summary.rows);
    count(context, 'import', 'consentImported', summary.consentImported);
    count(context, 'import', 'failed', summary.failed);
  });

  const logged = population.contacts.filter((contact) =>
    ['ebr_inquiry', 'ebr_transaction', 'refused', 'email_only'].includes(contact.consent),
  );
  await mapBounded(
    logged.flatMap((contact) => contact.agents.map((agent) => ({ contact, agent }))),
    8,
    ({ contact, agent }) => logDayOneConsent(context, contact, agent, now),
  );
}

async function logDayOneConsent(
  context: RunContext,
  contact: ContactPlan,
  agentIndex: number,
  now: Date,
): Promise<void> {
  const agent = context.agents[agentIndex]!;
  try {
    await agent.api.consent.append(contact.phone, {
      at: consentInstant(contact, now),
      capturedBy: agent.name,
      ...dayOneConsentEvent(contact),
    });
    count(context, 'consent', `${contact.consent}.recorded`);
  } catch (error) {
    if (error instanceof ConsentLineApiError && contact.consent === 'refused' && error.status === 422) {
      count(context, 'consent', 'refused.422');
      return;
    }
    unexpected(context, `consent ${contact.consent} ${contact.phone}`, error);
  }
}

/** What the agent logs on day one for the contact's planned consent (`refused` offers a method that is not consent). */
function dayOneConsentEvent(contact: ContactPlan) {
  switch (contact.consent) {
    case 'ebr_inquiry':
      return { type: 'ebr_inquiry', evidence: 'web form inquiry' } as const;
    case 'ebr_transaction':
      return { type: 'ebr_transaction', evidence: 'closing' } as const;
    case 'email_only':
      return {
        type: 'express_written',
        channel: 'email',
        method: 'email_reply',
        evidence: 'yes to the newsletter',
      } as const;
    default:
      return {
        type: 'express_written',
        method: contact.method,
        evidence: `${contact.method}: offered as consent`,
      } as const;
  }
}
