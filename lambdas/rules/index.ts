import { areaCodes } from './area-codes';
import { capRules } from './caps';
import { consentRules } from './consent';
import { contentRules } from './content';
import { holidayRules } from './holidays';
import { keywordRules } from './keywords';
import { messageTexts } from './messages';
import { numberCheckRules } from './number-checks';
import { zip3 } from './postal-codes';
import { quietHours } from './quiet-hours';
import { stateZones } from './state-zones';

/** Versions of every rule set the gate reads; each receipt quotes them (RULES §6). */
export const rulesVersions: readonly string[] = [
  quietHours.version,
  holidayRules.version,
  capRules.version,
  consentRules.version,
  contentRules.version,
  keywordRules.version,
  messageTexts.version,
  areaCodes.version,
  zip3.version,
  stateZones.version,
  numberCheckRules.version,
];
