/**
 * Request and response types of the HTTP API, derived from the zod schemas the handlers parse
 * with (requests as a client writes them: `z.input`; responses as the API returns them) and,
 * where a route has no response schema, from its use case's result type. Type-only imports:
 * the client carries none of the server's code at run time.
 */
import type * as z from 'zod';
import type { customCadenceBody } from '../rules/cadence';
import type { auditConsentQuery, auditMessagesQuery } from '../handlers/http/audit';
import type {
  blackoutEndedResponse,
  blackoutListResponse,
  blackoutResponse,
  declareBlackoutBody,
  endBlackoutBody,
} from '../handlers/http/blackouts';
import type { editMessageBody } from '../handlers/http/enroll';
import type { newMessageBody } from '../handlers/http/messages';
import type * as schemas from '../handlers/http/schemas';
import type { ConsentAuditPage, PhoneAudit } from '../usecases/audit-export';
import type { getCadence, saveCadence } from '../usecases/cadence';
import type { MessageAccepted } from '../usecases/create-message';
import type { unenrollContact } from '../usecases/enroll';
import type {
  ContactMessageResponse,
  ContactMessagesResponse,
  EnrollmentStartedResponse,
  MessageAuditPageResponse,
  MessageEditedResponse,
  MessageResponse,
} from '../handlers/http/message-responses';

// ---------- requests ----------

export type NewAgent = z.input<typeof schemas.newAgentBody>;
export type ContactInput = z.input<typeof schemas.contactBody>;
export type ContactErasureRequest = z.input<typeof schemas.eraseContactBody>;
export type ConsentEventInput = z.input<typeof schemas.consentBody>;
export type ImportRowInput = z.input<typeof schemas.importRow>;
export type NewMessage = z.input<typeof newMessageBody>;
export type MessageEdit = z.input<typeof editMessageBody>;
export type CadenceInput = z.input<typeof customCadenceBody>;
/** `limit` is a number here; the query string carries it as text. */
/** `limit` is a number here; the query string carries it as text. */
export type ContactListQuery = Omit<z.input<typeof schemas.contactListQuery>, 'limit'> & { limit?: number };
export type AuditConsentQuery = Omit<z.input<typeof auditConsentQuery>, 'cursor'>;
export type AuditMessagesQuery = Omit<z.input<typeof auditMessagesQuery>, 'limit'> & { limit?: number };

// ---------- responses ----------

export type ApiErrorBody = z.infer<typeof schemas.errorResponse>;
export type AgentView = z.infer<typeof schemas.agentResponse>;
export type AgentList = z.infer<typeof schemas.agentListResponse>;
export type AgentCreated = z.infer<typeof schemas.agentCreatedResponse>;
export type KeyRotation = z.input<typeof schemas.rotateKeyBody>;
export type KeyRevocation = z.input<typeof schemas.revokeKeysBody>;
export type KeyEventView = z.infer<typeof schemas.keyEventResponse>;
export type KeyRotated = z.infer<typeof schemas.keyRotatedResponse>;
export type KeyEvents = z.infer<typeof schemas.keyEventsResponse>;
export type ContactView = z.infer<typeof schemas.contactResponse>;
export type ContactWithConsent = z.infer<typeof schemas.contactWithConsentResponse>;
export type ConsentView = z.infer<typeof schemas.consentViewResponse>;
export type ContactListPage = z.infer<typeof schemas.contactListResponse>;
export type ContactErased = z.infer<typeof schemas.contactErasureResponse>;
export type ConsentAppended = z.infer<typeof schemas.consentAppendedResponse>;
export type ConsentHistoryView = z.infer<typeof schemas.consentHistoryResponse>;
export type { ConsentRequestSent } from '../usecases/consent-request';
export type ImportResult = z.infer<typeof schemas.importResponse>;
export type LedgerVerification = z.infer<typeof schemas.verificationResponse>;
/** A logged text as the API returns it: one ConsentLine sent, or one the contact sent. */
export type MessageView = MessageResponse;
export type ContactMessageView = ContactMessageResponse;
export type EnrollmentStarted = EnrollmentStartedResponse;
export type MessageAuditPage = MessageAuditPageResponse;
export type { MessageAccepted, ConsentAuditPage, PhoneAudit };
export type ContactMessages = ContactMessagesResponse;
export type MessageEdited = MessageEditedResponse;
export type Unenrolled = Awaited<ReturnType<typeof unenrollContact>>;
export type CadenceView = Awaited<ReturnType<typeof getCadence>>;
export type CadenceSaved = Awaited<ReturnType<typeof saveCadence>>;
export type BlackoutDeclarationInput = z.input<typeof declareBlackoutBody>;
export type BlackoutEndInput = z.input<typeof endBlackoutBody>;
export type BlackoutView = z.infer<typeof blackoutResponse>;
export type BlackoutList = z.infer<typeof blackoutListResponse>;
export type BlackoutEnded = z.infer<typeof blackoutEndedResponse>;
