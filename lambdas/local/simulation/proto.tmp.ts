import { startLocalRuntime } from '../runtime';
import { createConsentLineClient } from '../../client';

async function main() {
  const rt = await startLocalRuntime({ port: 0, clockStart: new Date('2026-01-05T15:00:00Z'), demoAgent: false });
  const admin = createConsentLineClient({ baseUrl: rt.baseUrl, apiKey: rt.adminKey });
  const a = await admin.agents.create({ name: 'Dana Reyes', brokerage: 'Harbor', senderNumber: '+13055550100', forwardTo: '+13055550199', doubleOptIn: false });
  const api = createConsentLineClient({ baseUrl: rt.baseUrl, apiKey: a.apiKey });
  const N = Number(process.env.N ?? 200);
  const C = Number(process.env.C ?? 8);
  const phones = Array.from({ length: N }, (_, i) => `+1212555${String(1000 + i).padStart(4, '0')}`);
  async function phase(name: string, fn: (p: string) => Promise<unknown>) {
    const t = Date.now(); let next = 0;
    await Promise.all(Array.from({ length: C }, async () => { while (next < phones.length) await fn(phones[next++]!); }));
    console.log(name, Date.now() - t, 'ms');
  }
  await phase('put', (p) => api.contacts.put(p, { name: 'Sam Lee', state: 'NY' }));
  await phase('consent', (p) => api.consent.append(p, { type: 'express_written', method: 'signed_form', at: '2026-01-01T10:00:00Z', capturedBy: 'x', evidence: 'y', channel: 'sms' }));
  await phase('enroll', (p) => api.enroll(p));
  await phase('manual', (p) => api.messages.create({ to: p, body: 'hello there' }));
  let t = Date.now(); await rt.settle(); console.log('settle', Date.now() - t);
  t = Date.now(); await rt.settle(); console.log('settle-empty', Date.now() - t);
  await rt.stop();
}
main().catch((e) => { console.error(e); process.exit(1); });
