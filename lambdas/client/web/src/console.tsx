import { useEffect, useMemo, useState } from 'preact/hooks';
import { App, type AppContext } from './app-context';
import { AgentsPage } from './pages/agents';
import { AuditPage } from './pages/audit';
import { ContactPage } from './pages/contact';
import { ContactsPage } from './pages/contacts';
import { ImportPage } from './pages/import';
import { NewContactPage } from './pages/new-contact';
import { PhoneRecordPage } from './pages/phone-record';
import { SignIn } from './pages/sign-in';
import { href, useRoute } from './route';
import { apiFor, forgetSession, loadSession, saveSession, type Session } from './session';

type NavItem = { parts: string[]; label: string };

const agentNav: NavItem[] = [
  { parts: ['contacts'], label: 'Contacts' },
  { parts: ['contacts', 'new'], label: 'Add contact' },
  { parts: ['import'], label: 'Import CSV' },
  { parts: ['audit'], label: 'Audit export' },
];

const adminNav: NavItem[] = [
  { parts: ['agents'], label: 'Agents' },
  { parts: ['audit'], label: 'Audit export' },
  { parts: ['phone'], label: 'Phone record' },
];

/** The whole console: sign-in until a key is accepted, then the pages of that key's role. */
export function Console() {
  const [session, setSession] = useState<Session | undefined>(loadSession);
  const [notice, setNotice] = useState<string>();
  const route = useRoute();
  const current = route.join('/');
  // A new page moves keyboard and screen-reader focus to its content, as a page load would.
  useEffect(() => {
    document.getElementById('main')?.focus();
  }, [current]);

  const app = useMemo<AppContext | undefined>(() => {
    if (session === undefined) return undefined;
    return {
      session,
      api: apiFor(session.apiKey),
      signOut: (reason?: string) => {
        forgetSession();
        setNotice(reason);
        setSession(undefined);
      },
    };
  }, [session]);

  if (app === undefined) {
    return (
      <SignIn
        notice={notice}
        onSignedIn={(signedIn) => {
          saveSession(signedIn);
          setNotice(undefined);
          setSession(signedIn);
          location.hash = href(signedIn.role === 'admin' ? 'agents' : 'contacts');
        }}
      />
    );
  }
  const nav = app.session.role === 'admin' ? adminNav : agentNav;
  return (
    <App.Provider value={app}>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <span class="brand">ConsentLine</span>
        <nav aria-label="Main">
          <ul>
            {nav.map((item) => (
              <li key={item.label}>
                <a
                  href={href(...item.parts)}
                  aria-current={current === item.parts.join('/') ? 'page' : undefined}
                >
                  {item.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <span class="role">{app.session.role === 'admin' ? 'Admin' : 'Agent'}</span>
        <button type="button" class="sign-out" onClick={() => app.signOut('Signed out.')}>
          Sign out
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        <Page role={app.session.role} route={route} />
      </main>
    </App.Provider>
  );
}

function Page({ role, route }: { role: Session['role']; route: string[] }) {
  const [first, second] = route;
  if (role === 'admin') {
    if (first === 'audit') return <AuditPage />;
    if (first === 'phone') return <PhoneRecordPage initialPhone={second} />;
    return <AgentsPage />;
  }
  if (first === 'contacts' && second === 'new') return <NewContactPage />;
  if (first === 'contacts' && second !== undefined) return <ContactPage phone={second} />;
  if (first === 'import') return <ImportPage />;
  if (first === 'audit') return <AuditPage />;
  return <ContactsPage />;
}
