import { useApp, useLoad } from '../app-context';
import { Badge } from '../components/badge';
import { FormProblem } from '../components/notice';
import { consentOf } from '../consent-view';
import { CadencePanel } from './contact/cadence';
import { ConsentCard } from './contact/consent-card';
import { ConsentForms } from './contact/consent-forms';
import { ConsentHistory } from './contact/consent-history';
import { MessagesPanel } from './contact/messages';
import { SendPanel } from './contact/send';

/** One contact: consent card and history, consent forms, cadence, messages, one-to-one text. */
export function ContactPage({ phone }: { phone: string }) {
  const { api } = useApp();
  const contact = useLoad((client) => client.contacts.get(phone), [phone]);
  const history = useLoad((client) => client.consent.history(phone), [phone]);
  const messages = useLoad((client) => client.messages.listForContact(phone), [phone]);
  const reloadAll = () => {
    contact.reload();
    history.reload();
    messages.reload();
  };
  const consent = consentOf(contact.data);
  const view = contact.data?.contact;
  const zone = view?.timeZone;

  return (
    <section>
      <p>
        <a href="#/contacts">← Contacts</a>
      </p>
      <h1>
        {view?.name ?? phone} <Badge badge={consent?.badge} />
      </h1>
      {view?.name && <p class="row-phone">{view.phone}</p>}
      <FormProblem problems={contact.problems} />
      {view && (
        <div class="columns">
          <div>
            <ConsentCard consent={consent} phone={view.phone} contactZone={zone} onChanged={reloadAll} />
            <ConsentForms api={api} phone={view.phone} onLogged={reloadAll} />
            <ConsentHistory history={history.data} problems={history.problems} contactZone={zone} />
          </div>
          <div>
            <SendPanel phone={view.phone} consent={consent} onSent={reloadAll} />
            <CadencePanel
              phone={view.phone}
              enrollment={view.enrollment}
              messages={messages.data}
              problems={messages.problems}
              contactZone={zone}
              onChanged={reloadAll}
            />
            <MessagesPanel messages={messages.data?.messages} contactZone={zone} />
          </div>
        </div>
      )}
    </section>
  );
}
