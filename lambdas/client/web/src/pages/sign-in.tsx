import { useState } from 'preact/hooks';
import { ConsentLineApiError } from '../../../errors';
import { describedBy, Field } from '../components/field';
import { FormEnd } from '../components/notice';
import { noProblems, problemsOf, type Problems } from '../problems';
import { apiFor, type Session } from '../session';

/**
 * Sign-in with an API key. Which key it is comes from the API: an agent's key reads the
 * agent's cadence; the admin key is told that route is for agents (403).
 */
export function SignIn({ onSignedIn, notice }: { onSignedIn: (session: Session) => void; notice?: string }) {
  const [apiKey, setApiKey] = useState('');
  const [busy, setBusy] = useState(false);
  const [problems, setProblems] = useState<Problems>(noProblems);

  const submit = async (event: Event) => {
    event.preventDefault();
    const key = apiKey.trim();
    if (key === '') {
      setProblems({ fields: { apiKey: 'Enter your API key.' } });
      return;
    }
    setBusy(true);
    setProblems(noProblems);
    try {
      await apiFor(key).cadence.get();
      onSignedIn({ apiKey: key, role: 'agent' });
    } catch (error) {
      if (error instanceof ConsentLineApiError && error.status === 403 && error.code === 'forbidden') {
        onSignedIn({ apiKey: key, role: 'admin' });
        return;
      }
      const found = problemsOf(error);
      setProblems(found.signedOut ? { fields: { apiKey: found.form ?? 'The key was refused.' } } : found);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="sign-in">
      <h1>ConsentLine</h1>
      <p>Sign in with your agent API key, or with the admin key to manage agents and audits.</p>
      {notice && (
        <p class="notice notice-refused" role="status">
          {notice}
        </p>
      )}
      <form onSubmit={submit} noValidate>
        <Field
          id="api-key"
          label="API key"
          error={problems.fields.apiKey}
          hint="Kept in this browser tab only; closing the tab or signing out forgets it."
        >
          <input
            id="api-key"
            type="password"
            autocomplete="off"
            spellcheck={false}
            value={apiKey}
            aria-describedby={describedBy('api-key')}
            aria-invalid={problems.fields.apiKey ? true : undefined}
            onInput={(event) => setApiKey(event.currentTarget.value)}
          />
        </Field>
        <FormEnd problems={problems} busy={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </FormEnd>
      </form>
    </main>
  );
}
