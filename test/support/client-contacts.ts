import type { ConsentEventInput, ConsentLineClient, ContactInput } from '../../lambdas/client';

/**
 * Stores the contact through the typed client and appends its consent: express written on a
 * signed form on 2026-03-01, unless `consent` says otherwise. Resolves to the phone.
 */
export async function consentedContact(
  client: ConsentLineClient,
  phone: string,
  contact: ContactInput,
  consent: Partial<ConsentEventInput> = {},
): Promise<string> {
  await client.contacts.put(phone, contact);
  await client.consent.append(phone, {
    type: 'express_written',
    method: 'signed_form',
    at: '2026-03-01T10:00:00Z',
    capturedBy: 'Dana',
    evidence: 'signed',
    ...consent,
  });
  return phone;
}
