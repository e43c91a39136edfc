import { type CountryCode, isSupportedCountry, parsePhoneNumberFromString } from 'libphonenumber-js';
import { countryCode } from '../../leads/countries.js';

export interface ShownPhone {
  /** International format (`+1 617 555 0123`), or the number exactly as sent when it is not valid. */
  text: string;
  /** `tel:` with the E.164 number; only for a number that is valid for its country. */
  url?: string;
}

// Only digits and the usual separators: libphonenumber would otherwise find a number inside any text.
const PHONE_LIKE = /^\+?[0-9 ().-]{4,30}$/;

/**
 * The marketplace sends phone numbers as typed (`16175550123`): read them in the lead's country
 * (an ISO code or a name: `US`, `USA`, `Estados Unidos`) and show them the way a caller abroad dials them.
 */
export function showPhone(phone: string, country: string): ShownPhone {
  const value = phone.trim();
  if (!PHONE_LIKE.test(value)) return { text: value };
  const code = countryCode(country) ?? '';
  const region = isSupportedCountry(code) ? (code as CountryCode) : undefined;
  const parsed = parsePhoneNumberFromString(value, region);
  if (!parsed?.isValid()) return { text: value };
  return { text: parsed.formatInternational(), url: `tel:${parsed.number}` };
}
