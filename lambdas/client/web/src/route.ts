import { useEffect, useState } from 'preact/hooks';

/**
 * Hash routes (`#/contacts/%2B1305…`): the static host serves one file and never sees the
 * path, so S3 needs no rewrite rules and no phone number reaches a server log.
 */
export function useRoute(): string[] {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const onChange = () => setHash(location.hash);
    addEventListener('hashchange', onChange);
    return () => removeEventListener('hashchange', onChange);
  }, []);
  return hash
    .replace(/^#\/?/, '')
    .split('/')
    .filter((part) => part !== '')
    .map((part) => decodeURIComponent(part));
}

/** The link to a route, each part encoded. */
export function href(...parts: string[]): string {
  return `#/${parts.map((part) => encodeURIComponent(part)).join('/')}`;
}

export function go(...parts: string[]): void {
  location.hash = href(...parts);
}
