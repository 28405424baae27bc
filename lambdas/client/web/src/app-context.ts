import { createContext } from 'preact';
import { useContext, useEffect, useState } from 'preact/hooks';
import type { ConsentLineClient } from '../..';
import { noProblems, problemsOf, type Problems } from './problems';
import type { Session } from './session';

export type AppContext = {
  session: Session;
  api: ConsentLineClient;
  /** Back to sign-in, with the reason shown there. */
  signOut: (reason?: string) => void;
};

export const App = createContext<AppContext | undefined>(undefined);

export function useApp(): AppContext {
  const app = useContext(App);
  if (app === undefined) throw new Error('useApp outside a signed-in page');
  return app;
}

/**
 * Runs API calls for a form: `busy` while one runs, `problems` from its failure (a 401 signs
 * out). The form's own state is untouched on failure, so what the user typed stays.
 */
export function useAction() {
  const { signOut } = useApp();
  const [busy, setBusy] = useState(false);
  const [problems, setProblems] = useState<Problems>(noProblems);
  const run = async <T>(call: () => Promise<T>): Promise<T | undefined> => {
    setBusy(true);
    setProblems(noProblems);
    try {
      return await call();
    } catch (error) {
      const found = problemsOf(error);
      if (found.signedOut) signOut(`Signed out: ${found.form ?? 'the API key was refused'}`);
      else setProblems(found);
      return undefined;
    } finally {
      setBusy(false);
    }
  };
  return { busy, problems, setProblems, run };
}

/** Loads what a page shows; `reload` after a change. A failure is shown, never swallowed. */
export function useLoad<T>(load: (api: ConsentLineClient) => Promise<T>, deps: unknown[]) {
  const { api } = useApp();
  const action = useAction();
  const [data, setData] = useState<T | undefined>(undefined);
  const [version, setVersion] = useState(0);
  useEffect(() => {
    let current = true;
    void action
      .run(() => load(api))
      .then((value) => {
        if (current && value !== undefined) setData(value);
      });
    return () => {
      current = false;
    };
  }, [api, version, ...deps]);
  return {
    data,
    setData,
    problems: action.problems,
    loading: action.busy,
    reload: () => setVersion((v) => v + 1),
  };
}
