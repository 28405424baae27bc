/**
 * The compliance core: pure functions that decide whether a text may go now, later or never,
 * and the receipt that proves why. No I/O, no clock: time is an argument.
 */
export type * from './types';
export { classifyInbound } from './keywords';
export { locateRecipient } from './location';
export { evaluateWindow } from './window';
export { deriveConsent, validateConsentMethod, validateConsentType, ebrExpiry, foldConsent } from './consent';
export { describeConsent, type ConsentViewQuery } from './consent-view';
export { analyzeContent } from './content';
export { evaluateCaps, type CapQuery, type CapVerdict, type RecentSend } from './caps';
export { composeBody } from './compose';
export { decide, type Decision, type DoubleOptInStatus, type GateInput, type Verdict } from './gate';
export type { ComplianceReceipt } from './receipt';
