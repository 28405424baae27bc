import { areaCodes } from './area-codes';
import { blackoutRules } from './blackouts';
import { capRules } from './caps';
import { consentTimeline } from './consent';
import { contentRules } from './content';
import { holidayRules } from './holidays';
import { keywordRules } from './keywords';
import { messageTexts } from './messages';
import { numberCheckRules } from './number-checks';
import { zip3 } from './postal-codes';
import { quietHours } from './quiet-hours';
import { stateZones } from './state-zones';
import { twilioKeywordRules } from './twilio-keywords';

/** Rule sets whose versions change at known instants, in receipt order. */
const timelines = { consent: consentTimeline };

const versionLists = new Map<string, readonly string[]>();

/**
 * Versions of every rule set in force at `at`; each receipt quotes them (RULES §1, §6). Lists are
 * shared between receipts decided under the same versions: never mutate one.
 */
export function rulesVersionsAt(at: Date): readonly string[] {
  const consent = timelines.consent.at(at).version;
  let list = versionLists.get(consent);
  if (list === undefined) {
    list = [quietHours.version, holidayRules.version, capRules.version, consent, ...staticVersions];
    versionLists.set(consent, list);
  }
  return list;
}

const staticVersions: readonly string[] = [
  contentRules.version,
  keywordRules.version,
  messageTexts.version,
  areaCodes.version,
  zip3.version,
  stateZones.version,
  numberCheckRules.version,
  twilioKeywordRules.version,
  blackoutRules.version,
];
