import { useState } from 'preact/hooks';
import type { MessageAccepted } from '../../../../types';
import { useAction, useApp } from '../../app-context';
import { describedBy, Field } from '../../components/field';
import { FormEnd } from '../../components/notice';
import { Verdict } from '../../components/verdict';
import { When } from '../../components/when';
import type { ConsentView } from '../../consent-view';

/**
 * A one-to-one text. Before sending it shows what the API's consent view says about
 * one-to-one texts; after, the gate's verdict and receipt. The gate decides, not this form.
 */
export function SendPanel({
  phone,
  consent,
  onSent,
}: {
  phone: string;
  consent?: ConsentView;
  onSent: () => void;
}) {
  const { api } = useApp();
  const action = useAction();
  const [body, setBody] = useState('');
  const [sent, setSent] = useState<MessageAccepted>();

  return (
    <form
      class="card stack"
      noValidate
      aria-labelledby="send-title"
      onSubmit={async (event) => {
        event.preventDefault();
        setSent(undefined);
        const accepted = await action.run(() => api.messages.create({ to: phone, body }));
        if (accepted) {
          setSent(accepted);
          if (accepted.verdict !== 'block') setBody('');
          onSent();
        }
      }}
    >
      <h2 id="send-title">Send a text</h2>
      {consent && (
        <div class="prediction" aria-label="Before you send">
          <Verdict
            predicted
            verdict={consent.permits.manual ? 'send' : 'block'}
            reasons={[
              consent.reason,
              ...(consent.permits.manual ? ['Quiet hours and daily caps are checked when it is sent.'] : []),
            ]}
          />
        </div>
      )}
      <Field
        id="send-body"
        label="Text to send"
        error={action.problems.fields.body ?? action.problems.fields.to}
      >
        <textarea
          id="send-body"
          rows={3}
          value={body}
          aria-describedby={describedBy('send-body')}
          onInput={(event) => setBody(event.currentTarget.value)}
        />
      </Field>
      <FormEnd problems={action.problems} busy={action.busy}>
        Send
      </FormEnd>
      {sent && (
        <div role="status" class="sent">
          <Verdict verdict={sent.verdict} reasons={sent.receipt.reasons} />
          {sent.verdict === 'hold' && sent.releaseAt && (
            <p>
              Waiting until <When iso={sent.releaseAt} />; it is in Messages below.
            </p>
          )}
          {sent.verdict === 'send' && <p>Queued to send; its delivery shows in Messages below.</p>}
        </div>
      )}
    </form>
  );
}
