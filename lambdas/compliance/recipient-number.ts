import { areaCodes } from '../rules/area-codes';
import { numberCheckRules } from '../rules/number-checks';

/** Whether SMS can reach a line of this Lookup type, with the reason shown when it cannot. */
export type LineTypeVerdict = { lineType: string; sms: boolean; reason?: string };

const tollFree = new Set(numberCheckRules.tollFreeAreaCodes);

/**
 * Why an E.164 number may not be a contact's number (RULES §3), or undefined when it may:
 * toll-free codes are refused, and so is every NANP area code outside the US (Canada, the
 * Caribbean: other laws apply). US area codes are the ones the area-code table places in a
 * state, district or territory.
 *
 * @example recipientNumberRefusal('+14165550123') // 'area code 416 is outside the US …'
 */
export function recipientNumberRefusal(e164: string): string | undefined {
  const areaCode = /^\+1(\d{3})\d{7}$/.exec(e164)?.[1];
  if (areaCode === undefined) return 'only US numbers (+1, ten digits) can be contacts';
  if (tollFree.has(areaCode)) {
    return `toll-free numbers (${numberCheckRules.tollFreeAreaCodes.join(', ')}) are refused as contacts: they cannot be texted as a person's phone`;
  }
  if (!Object.hasOwn(areaCodes.areaCodes, areaCode)) {
    return `area code ${areaCode} is outside the US (Canada or the Caribbean); other countries' laws apply there, so it is refused`;
  }
  return undefined;
}

/** What a Lookup line type means for texting: `landline` and the like cannot get SMS; VoIP can. */
export function lineTypeVerdict(lineType: string): LineTypeVerdict {
  if (numberCheckRules.lineTypes.allowed.includes(lineType)) return { lineType, sms: true };
  const reason = Object.hasOwn(numberCheckRules.lineTypes.refused, lineType)
    ? numberCheckRules.lineTypes.refused[lineType]
    : `line type "${lineType}" cannot receive texts`;
  return { lineType, sms: false, reason: `${reason} (line type ${lineType}, Twilio Lookup)` };
}
