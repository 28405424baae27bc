/** A `<Message>` verb of a TwiML answer: Twilio texts `body` back (to the sender unless `to` says otherwise). */
export type TwimlMessage = { body: string; to?: string; from?: string };

/** The `<Message>` verbs of a TwiML document, in order. Other verbs are ignored. */
export function twimlMessages(twiml: string): TwimlMessage[] {
  const verbs = twiml.matchAll(/<Message\b([^>]*?)(?:\/>|>([\s\S]*?)<\/Message>)/g);
  return [...verbs].map(([, attributes = '', content = '']) => {
    const nestedBody = /<Body>([\s\S]*?)<\/Body>/.exec(content)?.[1];
    const text = nestedBody ?? content.replace(/<[^>]*>[\s\S]*?<\/[^>]*>|<[^>]*\/>/g, '');
    const to = attribute(attributes, 'to');
    const from = attribute(attributes, 'from');
    return {
      body: decodeXml(text),
      ...(to !== undefined ? { to } : {}),
      ...(from !== undefined ? { from } : {}),
    };
  });
}

function attribute(attributes: string, name: string): string | undefined {
  const value = new RegExp(`\\b${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`).exec(attributes);
  const raw = value?.[1] ?? value?.[2];
  return raw === undefined ? undefined : decodeXml(raw);
}

function decodeXml(text: string): string {
  const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, entity: string) => {
    if (entity.startsWith('#x') || entity.startsWith('#X'))
      return String.fromCodePoint(parseInt(entity.slice(2), 16));
    if (entity.startsWith('#')) return String.fromCodePoint(Number(entity.slice(1)));
    return named[entity] ?? whole;
  });
}
