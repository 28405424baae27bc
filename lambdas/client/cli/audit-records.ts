/**
 * The records of an audit export, and how each is written as a JSON line (every field, as
 * stored) or a CSV row for people: flat columns — when it was created, sent and delivered, the
 * verdict and its reasons, the consent relied on, the recipient's local time and zones, the
 * rules version, Twilio's SID and error code — and no JSON in any cell.
 */
import type { ChainVerification, LedgerRecord, LoggedText, OptOutRecord } from '../../ports';
import { csvLine } from './csv-write';

export type AuditRecord =
  | { record: 'message'; value: LoggedText }
  | { record: 'consent_event'; value: LedgerRecord }
  | { record: 'chain_verification'; value: ChainVerification & { agentId: string; phone: string } }
  | { record: 'opt_out'; value: OptOutRecord }
  | { record: 'summary'; value: Record<string, unknown> };

export const AUDIT_CSV_COLUMNS = [
  'record',
  'at',
  'agent_id',
  'phone',
  'id',
  'kind',
  'purpose',
  'status',
  'created',
  'sent',
  'delivered',
  'verdict',
  'reasons',
  'consent_status',
  'consent_relied_on',
  'recipient_local_time',
  'zones',
  'rules_version',
  'twilio_sid',
  'error_code',
  'body',
  'sent_body',
  'channel',
  'method',
  'captured_by',
  'evidence',
  'source',
  'note',
] as const;

type Column = (typeof AUDIT_CSV_COLUMNS)[number];

/** When a record happened, for putting an export in time order (`createdAt` for a message). */
export function auditRecordTime(entry: AuditRecord): string {
  switch (entry.record) {
    case 'message':
      return entry.value.createdAt;
    case 'consent_event':
    case 'opt_out':
      return entry.value.at;
    default:
      return '';
  }
}

/** One JSON line: `{"record": "<kind>", ...fields}`. */
export function auditJsonLine(entry: AuditRecord): string {
  return `${JSON.stringify({ record: entry.record, ...entry.value })}\n`;
}

export function auditCsvHeader(): string {
  return csvLine([...AUDIT_CSV_COLUMNS]);
}

/** One CSV row of flat cells; lists are joined with "; ". */
export function auditCsvLine(entry: AuditRecord): string {
  const cells = cellsOf(entry);
  return csvLine(AUDIT_CSV_COLUMNS.map((column) => cells[column]));
}

const joined = (values: readonly string[] | undefined): string | undefined =>
  values === undefined || values.length === 0 ? undefined : values.join('; ');

/** The cells that say what a record is: its kind, when it happened, whose, which phone, its id. */
function identityCells(
  record: AuditRecord['record'],
  at: string | undefined,
  owner: { agentId?: string | undefined; phone: string },
  id: string,
  kind: string,
): Partial<Record<Column, string>> {
  return { record, at, agent_id: owner.agentId, phone: owner.phone, id, kind };
}

function cellsOf(entry: AuditRecord): Partial<Record<Column, string | number>> {
  switch (entry.record) {
    case 'message': {
      const message = entry.value;
      const receipt = message.receipt;
      const firstAt = (status: string) => message.history.find((change) => change.status === status)?.at;
      const last = message.history.at(-1);
      return {
        ...identityCells('message', message.createdAt, message, message.messageId, message.kind),
        purpose: message.purpose,
        status: message.status,
        created: message.createdAt,
        sent: firstAt('sent'),
        delivered: firstAt('delivered'),
        verdict: receipt?.verdict,
        reasons: joined(receipt?.reasons ?? last?.reasons),
        consent_status: receipt?.consent.status,
        consent_relied_on: receipt?.consent.reliedOn,
        recipient_local_time: joined(
          receipt?.recipient.localTimes.map((time) => `${time.local} ${time.zone}`),
        ),
        zones: joined(receipt?.recipient.zones),
        rules_version: joined(receipt?.rulesVersions),
        twilio_sid: message.twilioSid,
        error_code: message.errorCode,
        body: message.body,
        sent_body: message.sentBody,
      };
    }
    case 'consent_event': {
      const event = entry.value;
      return {
        ...identityCells('consent_event', event.at, event, event.id, event.type),
        created: event.recordedAt,
        channel: event.channel,
        method: event.method,
        captured_by: event.capturedBy,
        evidence: event.evidence,
        source: event.receivedVia ?? event.source,
        rules_version: event.rulesVersion,
        note: event.correctsId === undefined ? undefined : `corrects ${event.correctsId}`,
      };
    }
    case 'chain_verification': {
      const check = entry.value;
      return {
        ...identityCells('chain_verification', undefined, check, check.chainId, 'hash_chain'),
        status: check.ok ? 'ok' : 'broken',
        note:
          check.firstBroken === undefined
            ? `${check.events} events`
            : `first broken at seq ${check.firstBroken.seq} (${check.firstBroken.id}): ${check.firstBroken.problem}`,
      };
    }
    case 'opt_out': {
      const optOut = entry.value;
      return {
        ...identityCells('opt_out', optOut.at, optOut, optOut.id, 'global_opt_out'),
        created: optOut.recordedAt,
        source: optOut.source,
        evidence: optOut.words,
        twilio_sid: optOut.messageSid,
      };
    }
    case 'summary':
      return {
        record: 'summary',
        note: Object.entries(entry.value)
          .filter(([, value]) => value !== undefined)
          .map(([key, value]) => `${key}=${String(value)}`)
          .join('; '),
      };
  }
}
