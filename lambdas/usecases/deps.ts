import type {
  AgentStore,
  BlackoutStore,
  Clock,
  CadenceStore,
  CapStore,
  ContactStore,
  GateReadStore,
  LedgerStore,
  SweepCursorStore,
  MessageStore,
  NumberLookup,
  NumberStore,
  OptOutStore,
  ReleaseScheduler,
  SendQueue,
  SmsGateway,
  StopStore,
  TwilioBlockStore,
  InboundCapture,
} from '../ports';
import type { AdminKeyCheck } from './admin-key';

export type Stores = {
  agents: AgentStore;
  contacts: ContactStore;
  ledger: LedgerStore;
  optouts: OptOutStore;
  messages: MessageStore;
  /** The caps' send counters (RULES §3, §5). */
  caps: CapStore;
  sweepCursor: SweepCursorStore;
  /** The accounts' own cadences. */
  cadences: CadenceStore;
  numbers: NumberStore;
  twilioBlocks: TwilioBlockStore;
  /** The gate's by-key reads in one batch (the agents, contacts and counters stores' items). */
  gateReads: GateReadStore;
  blackouts: BlackoutStore;
  /** The STOP webhook's one transaction. */
  stops: StopStore;
};

export type AppConfig = {
  /**
   * The admin key's HMAC and its pepper; absent in functions that never accept the admin key
   * (they cannot read its secrets), where the admin key is just an unknown key.
   */
  adminKey?: AdminKeyCheck;
  /** The public base URL Twilio calls (API Gateway URL or custom domain), no trailing slash. */
  publicBaseUrl: string;
  /** Empty in functions that neither call Twilio nor verify its webhooks (no read of its secret). */
  twilioAccountSid: string;
  twilioAuthToken: string;
};

/** Everything a use case may touch, injected by the Lambda composition root or the local runtime. */
export type Deps = {
  clock: Clock;
  stores: Stores;
  queue: SendQueue;
  scheduler: ReleaseScheduler;
  sms: SmsGateway;
  /** Twilio Lookup v2: reassigned numbers and line types. */
  lookup: NumberLookup;
  config: AppConfig;
  /** Where the inbound SMS Fallback URL keeps what it receives; only that route needs it. */
  inboundCapture?: InboundCapture;
};
