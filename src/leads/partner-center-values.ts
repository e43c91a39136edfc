// The values of a Partner Center export in the webhook's terms: its dates, storefront names and
// calls to action (partner-center-export.md §1.5, §1.7).
import type { ActionCode, Storefront } from './lead.js';

/** The names each column goes by (normalised): the documented Referrals files' and their likely variants. */
export const ALIASES = {
  referralId: ['referralid', 'leadid', 'referenceid'],
  createdAt: [
    'leadcreationdatetime',
    'leadcreationdate',
    'creationdatetime',
    'creationdate',
    'createddatetime',
    'createddate',
    'createdat',
    'created',
    'datecreated',
  ],
  leadType: ['leadtype'],
  leadSource: ['leadsource', 'source', 'storefront'],
  callToAction: ['calltoaction', 'cta', 'actioncode'],
  offerId: ['offerid', 'offerids', 'productid'],
  offerName: ['offername', 'offernames', 'offertitle', 'offerdisplayname', 'offer', 'productname'],
  company: ['customername', 'customercompanyname', 'companyname', 'company', 'organization', 'organisation'],
  country: ['customercountry', 'customercountryregion', 'countryregion', 'country'],
  firstName: ['customercontactfirstname', 'contactfirstname', 'firstname', 'givenname'],
  lastName: ['customercontactlastname', 'contactlastname', 'lastname', 'surname', 'familyname'],
  email: [
    'customercontactemailaddress',
    'customercontactemail',
    'contactemailaddress',
    'contactemail',
    'customeremail',
    'emailaddress',
    'email',
  ],
  phone: [
    'customercontactphonenumber',
    'customercontactphone',
    'contactphonenumber',
    'contactphone',
    'customerphone',
    'phonenumber',
    'phone',
  ],
  title: ['customercontacttitle', 'contacttitle', 'jobtitle', 'title'],
  notes: ['notes', 'note', 'customernotes', 'description', 'message', 'comments'],
} as const;

export type Column = keyof typeof ALIASES;

/** Case, spaces, `_`, `-` and punctuation do not count: `Customer_Contact Email-Address` is one name. */
export function normaliseHeader(header: string): string {
  return header.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** ISO 8601 (UTC unless it says otherwise), `M/D/YYYY`, `M/D/YYYY h:mm[:ss] AM/PM`: read as UTC (§1.7). */
export function parseExportDate(text: string): Date | undefined {
  const value = text.trim();
  if (/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/i.test(value)) {
    const iso = value.replace(' ', 'T');
    const zoned = /(Z|[+-]\d{2}:?\d{2})$/i.test(iso) || iso.length === 10 ? iso : `${iso}Z`;
    const date = new Date(zoned);
    return Number.isNaN(date.getTime()) ? undefined : date;
  }
  const us = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AP]M)?)?$/i.exec(value);
  if (!us) return undefined;
  const [, m, d, y, h = '0', min = '0', s = '0', ampm] = us;
  let hour = Number(h);
  if (ampm) {
    if (hour < 1 || hour > 12) return undefined;
    hour = (hour % 12) + (ampm.toUpperCase() === 'PM' ? 12 : 0);
  }
  const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d), hour, Number(min), Number(s)));
  const valid = date.getUTCMonth() === Number(m) - 1 && date.getUTCDate() === Number(d) && hour < 24;
  return valid ? date : undefined;
}

export function storefrontOf(text: string): Storefront {
  const key = normaliseHeader(text);
  if (key === 'appsource' || key === 'spza' || key.startsWith('appsource')) return 'AppSource';
  if (key === 'azuremarketplace') return 'AzureMarketplace';
  if (key === 'azureportal') return 'AzurePortal';
  return 'Unknown';
}

/** Partner Center's call-to-action words as the webhook's action codes (§1.5). */
export function actionOf(text: string): ActionCode {
  const key = normaliseHeader(text);
  if (key === 'contactme' || key === 'plt') return 'PLT';
  if (key === 'getitnow' || key === 'freetrial' || key === 'ins') return 'INS';
  if (key === 'testdrive' || key === 'starttestdrive') return 'StartTestDrive';
  if (key === 'create') return 'Create';
  return 'Unknown';
}
