/** Human-readable renderings of API answers; `--json` prints the answers themselves instead. */
import type {
  ConsentHistoryView,
  ConsentView,
  ContactMessages,
  ContactView,
  ContactWithConsent,
  LedgerVerification,
  MessageAccepted,
} from '../types';

import { badge, showTime, type Style } from './style';

const PLAIN: Style = { color: false, utc: false };

const yesNo = (value: boolean) => (value ? 'yes' : 'no');

export function formatContact(contact: ContactView): string {
  const details = [
    contact.state && `state ${contact.state}`,
    contact.postalCode && `ZIP ${contact.postalCode}`,
    contact.timeZone && `time zone ${contact.timeZone}`,
    contact.closingDate && `closing ${contact.closingDate}`,
  ].filter(Boolean);
  const lines = [`${contact.phone}${contact.name ? `  ${contact.name}` : ''}`];
  if (details.length > 0) lines.push(`  ${details.join(' · ')}`);
  if (contact.address) lines.push(`  address    ${contact.address}`);
  if (contact.notes) lines.push(`  notes      ${contact.notes}`);
  if (contact.erasedAt)
    lines.push(`  erased     ${contact.erasedAt} (name, address and notes, at their request)`);
  const enrollment = contact.enrollment;
  lines.push(
    `  enrollment ${
      enrollment === undefined
        ? 'none'
        : `${enrollment.status} (${enrollment.cadenceVersion}, since ${enrollment.enrolledAt}${
            enrollment.stoppedAt ? `, stopped ${enrollment.stoppedAt}: ${enrollment.stoppedReason ?? ''}` : ''
          }${enrollment.closing ? `, counted from the closing on ${enrollment.closing.date}` : ''}${
            enrollment.skipped?.length ? `, ${enrollment.skipped.length} step(s) skipped` : ''
          })`
    }`,
  );
  if (contact.doubleOptIn) lines.push(`  double opt-in ${contact.doubleOptIn.status}`);
  return lines.join('\n');
}

/** One line of a contact list: phone, consent badge, name, enrollment. */
export function formatContactRow(item: ContactWithConsent, style: Style = PLAIN): string {
  const enrollment = item.contact.enrollment?.status === 'active' ? 'enrolled' : '';
  return [item.contact.phone, badge(style, item.consent.badge, 10), item.contact.name ?? '', enrollment]
    .join('  ')
    .trimEnd();
}

/** The consent view: badge, what it permits, why; the same words the API and the audit carry. */
export function formatConsent(consent: ConsentView): string {
  const span = [consent.since && `since ${consent.since}`, consent.until && `until ${consent.until}`]
    .filter(Boolean)
    .join(' ');
  const lines = [
    `  consent    ${consent.badge}${span ? ` (${span})` : ''}`,
    `  may send   automated: ${yesNo(consent.permits.automated)}, manual: ${yesNo(consent.permits.manual)}, consent request: ${yesNo(consent.permits.consentRequest)}`,
    `  why        ${consent.reason}`,
  ];
  if (consent.reliedOn) {
    const how = consent.reliedOn.method ? ` ${consent.reliedOn.method}` : '';
    lines.push(
      `  relies on  ${consent.reliedOn.type}${how} ${consent.reliedOn.at} [${consent.reliedOn.eventId}]`,
    );
  }
  if (consent.note) lines.push(`  note       ${consent.note}`);
  return lines.join('\n');
}

export function formatHistory(view: ConsentHistoryView): string {
  const lines = [`${view.phone}`, formatConsent(view.consent), '  history (oldest first):'];
  if (view.history.length === 0) lines.push('    (no events)');
  for (const entry of view.history) {
    if (entry.kind === 'ledger') {
      const how = [entry.method, entry.capturedBy && `by ${entry.capturedBy}`].filter(Boolean).join(' ');
      lines.push(
        `    ${entry.at}  ${entry.type.padEnd(16)} ${entry.channel}  ${how}${
          entry.evidence ? `  "${entry.evidence}"` : ''
        }${entry.correctsId ? `  corrects ${entry.correctsId}` : ''}  [${entry.id}]`,
      );
    } else if (entry.viaThisAgent) {
      lines.push(
        `    ${entry.at}  ${'global_opt_out'.padEnd(16)} ${entry.source}${
          entry.words ? `  "${entry.words}"` : ''
        } (to your number)  [${entry.id}]`,
      );
    } else {
      lines.push(`    ${'global_opt_out'.padEnd(16)} ${entry.note}`);
    }
  }
  return lines.join('\n');
}

export function formatMessageList(view: ContactMessages): string {
  if (view.messages.length === 0) return `${view.phone}: no messages`;
  return [
    `${view.phone}: ${view.messages.length} message(s)`,
    ...[...view.messages].sort(byWhen).map((message) => {
      const when =
        message.status === 'scheduled' && message.dueAt ? `due ${message.dueAt}` : message.createdAt;
      return `  ${message.messageId}  ${message.status.padEnd(11)} ${message.kind.padEnd(14)} ${when}  ${oneLine(message.body, 60)}`;
    }),
  ].join('\n');
}

/**
 * Upcoming steps: the text as it would leave and what the gate predicts at its due time; then
 * the steps the enrollment skipped because their moment had passed, each with why.
 */
export function formatPreview(view: ContactMessages): string {
  const upcoming = view.messages.filter((message) => message.predicted !== undefined).sort(byWhen);
  const skipped = (view.skipped ?? []).map(
    (step) => `step ${step.step}  skipped  (was due ${step.dueAt}): ${step.reason}`,
  );
  const closing = view.enrollment?.closing;
  const anchor = closing
    ? [`closing-anchored steps count from the closing on ${closing.date} (${closing.source})`]
    : [];
  if (upcoming.length === 0) {
    return [`${view.phone}: no upcoming steps`, ...anchor, ...skipped].join('\n');
  }
  const lines = [
    `${view.phone}: ${upcoming.length} upcoming step(s)${skipped.length > 0 ? `, ${skipped.length} skipped` : ''}; predictions use what is on record now`,
    ...anchor,
  ];
  for (const message of upcoming) {
    const predicted = message.predicted!;
    const release = predicted.releaseAt ? ` until ${predicted.releaseAt}` : '';
    lines.push(
      '',
      `step ${message.step ?? '?'}  ${message.messageId}  due ${predicted.at}  → ${predicted.verdict}${release}`,
      `  segments ${predicted.content.segments} (${predicted.content.encoding})`,
      ...predicted.body.split('\n').map((line) => `  | ${line}`),
      ...predicted.reasons.map((reason) => `  - ${reason}`),
    );
  }
  if (skipped.length > 0) lines.push('', ...skipped);
  return lines.join('\n');
}

/** The gate's answer to a send: a coloured verdict, the release time in the contact's zone, the reasons. */
export function formatAccepted(accepted: MessageAccepted, style: Style = PLAIN): string {
  const verb = { send: 'queued to send', hold: 'held', block: 'blocked' }[accepted.verdict];
  const zone = accepted.receipt.recipient.zones[0];
  const release = accepted.releaseAt ? ` until ${showTime(style, accepted.releaseAt, zone)}` : '';
  const lines = [`${accepted.messageId}: ${badge(style, accepted.verdict)} (${verb})${release}`];
  for (const reason of accepted.receipt.reasons) lines.push(`  - ${reason}`);
  return lines.join('\n');
}

export function formatVerification(result: LedgerVerification): string {
  const lines = [`${result.phone}: ledger ${result.ok ? 'intact' : 'BROKEN'}`];
  if (result.chains.length === 0) lines.push('  (no consent events)');
  for (const chain of result.chains) {
    const broken = chain.firstBroken
      ? `  first broken link: seq ${chain.firstBroken.seq} (${chain.firstBroken.id}): ${chain.firstBroken.problem}`
      : '';
    lines.push(`  ${chain.chainId}: ${chain.events} event(s), ${chain.ok ? 'ok' : 'broken'}${broken}`);
  }
  if (result.state !== undefined) {
    const { ok, version, differences } = result.state;
    lines.push(
      `  derived state (version ${version}): ${ok ? 'matches the records' : 'DIFFERS from the records'}`,
    );
    for (const difference of differences) lines.push(`    ${difference}`);
  }
  return lines.join('\n');
}

/** Sent and past messages by creation, upcoming steps by due time: the order a contact gets them. */
function byWhen(a: ContactMessages['messages'][number], b: ContactMessages['messages'][number]): number {
  return (a.dueAt ?? a.createdAt).localeCompare(b.dueAt ?? b.createdAt);
}

function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
