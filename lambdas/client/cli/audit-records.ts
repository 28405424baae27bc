/**
 * The records of an audit export, and how each is written as a JSON line or a CSV row. Every
 * field of every record is written: CSV puts the common ones in columns and the rest, as JSON,
 * in `details`, so nothing is left out in either format.
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
  'id',
  'agentId',
  'phone',
  'at',
  'type',
  'status',
  'body',
  'sentBody',
  'receipt',
  'history',
  'details',
] as const;

type Column = (typeof AUDIT_CSV_COLUMNS)[number];

/** One JSON line: `{"record": "<kind>", ...fields}`. */
export function auditJsonLine(entry: AuditRecord): string {
  return `${JSON.stringify({ record: entry.record, ...entry.value })}\n`;
}

export function auditCsvHeader(): string {
  return csvLine([...AUDIT_CSV_COLUMNS]);
}

/** One CSV row; structured values (receipt, history, details) as JSON text. */
export function auditCsvLine(entry: AuditRecord): string {
  const cells = cellsOf(entry);
  return csvLine(AUDIT_CSV_COLUMNS.map((column) => cells[column]));
}

function cellsOf(entry: AuditRecord): Partial<Record<Column, string>> {
  switch (entry.record) {
    case 'message': {
      const {
        messageId,
        agentId,
        phone,
        createdAt,
        kind,
        status,
        body,
        sentBody,
        receipt,
        history,
        ...rest
      } = entry.value;
      return {
        record: 'message',
        id: messageId,
        agentId,
        phone,
        at: createdAt,
        type: kind,
        status,
        body,
        sentBody,
        receipt: receipt === undefined ? '' : JSON.stringify(receipt),
        history: JSON.stringify(history),
        details: JSON.stringify(rest),
      };
    }
    case 'consent_event': {
      const { id, agentId, phone, at, type, ...rest } = entry.value;
      return { record: 'consent_event', id, agentId, phone, at, type, details: JSON.stringify(rest) };
    }
    case 'chain_verification': {
      const { chainId, agentId, phone, ok, ...rest } = entry.value;
      return {
        record: 'chain_verification',
        id: chainId,
        agentId,
        phone,
        type: 'hash_chain',
        status: ok ? 'ok' : 'broken',
        details: JSON.stringify(rest),
      };
    }
    case 'opt_out': {
      const { id, agentId, phone, at, source, ...rest } = entry.value;
      return { record: 'opt_out', id, agentId, phone, at, type: source, details: JSON.stringify(rest) };
    }
    case 'summary':
      return { record: 'summary', details: JSON.stringify(entry.value) };
  }
}
