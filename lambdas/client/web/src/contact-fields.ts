import type { TextFieldSpec } from './components/text-fields';

/** A contact's descriptive fields, as the contact form shows them and the CSV import reads them. */
export const contactFields = [
  { name: 'phone', label: 'Phone', type: 'tel', required: true },
  { name: 'name', label: 'Name' },
  { name: 'state', label: 'State (USPS code)' },
  { name: 'postalCode', id: 'postalCode', label: 'ZIP code' },
  { name: 'timeZone', id: 'timeZone', label: 'Time zone (IANA, e.g. America/New_York)' },
  { name: 'closingDate', id: 'closingDate', label: 'Closing date', type: 'date' },
  { name: 'address', label: 'Address' },
  { name: 'notes', label: 'Notes', multiline: true },
] as const satisfies readonly TextFieldSpec<string>[];

export type ContactField = (typeof contactFields)[number]['name'];

/** The field names, in form order. */
export const contactFieldNames: ContactField[] = contactFields.map((field) => field.name);
