import type {
  AgentStore,
  Clock,
  ContactStore,
  CounterStore,
  LedgerStore,
  MessageStore,
  OptOutStore,
  ReleaseScheduler,
  SendQueue,
  SmsGateway,
  TwilioBlockStore,
} from '../ports';

export type Stores = {
  agents: AgentStore;
  contacts: ContactStore;
  ledger: LedgerStore;
  optouts: OptOutStore;
  messages: MessageStore;
  counters: CounterStore;
  twilioBlocks: TwilioBlockStore;
};

export type AppConfig = {
  /** sha256 hex of the admin API key. */
  adminKeyHash: string;
  /** The public base URL Twilio calls (API Gateway URL or custom domain), no trailing slash. */
  publicBaseUrl: string;
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
  config: AppConfig;
};
