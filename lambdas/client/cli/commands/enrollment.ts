import type { Command } from 'commander';
import { contactCommand } from '../args';
import { answerCommand, type CliContext } from '../context';

/** `enroll` / `unenroll`: start or stop the drip cadence of a contact. */
export function registerEnrollment(program: Command, ctx: CliContext): void {
  answerCommand(
    contactCommand(
      program,
      'enroll',
      'start the drip cadence (needs express written consent); the opt-in confirmation goes first',
    ),
    ctx,
    {
      ask: (client, _opts, phone) => client.enroll(phone),
      text: (started, phone) => {
        const first = started.steps.map((step) => step.dueAt ?? '').sort()[0];
        const closing = started.enrollment.closing;
        const skipped = started.skipped.map(
          (step) => `\n  step ${step.step} skipped (was due ${step.dueAt}): ${step.reason}`,
        );
        return (
          `enrolled ${phone} in ${started.enrollment.cadenceVersion}: opt-in text ${started.optInRequest.messageId} ` +
          `queued, ${started.steps.length} step(s) scheduled${first ? `, first due ${first}` : ''}` +
          `${skipped.length > 0 ? `, ${skipped.length} skipped` : ''}` +
          (closing
            ? `\n  closing-anchored steps count from the closing on ${closing.date} (${closing.source})`
            : '') +
          skipped.join('')
        );
      },
    },
  );

  answerCommand(
    contactCommand(
      program,
      'unenroll',
      'stop the drip cadence; every step not yet handed to Twilio is cancelled',
    ),
    ctx,
    {
      ask: (client, _opts, phone) => client.unenroll(phone),
      text: (stopped, phone) => `unenrolled ${phone}: ${stopped.cancelled} message(s) cancelled`,
    },
  );
}
