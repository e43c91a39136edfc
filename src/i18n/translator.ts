import { en, type MessageKey, type Messages } from './en.js';
import { ptPT } from './pt-pt.js';

export type { MessageKey } from './en.js';

export type SupportedLocale = 'en' | 'pt-PT';

/** Messages that come as a `.one` and an `.other` form, by their common stem. */
export type PluralKey = MessageKey extends infer K ? (K extends `${infer Stem}.one` ? Stem : never) : never;

export interface Translator {
  (key: MessageKey, params?: Record<string, string | number>): string;
  readonly locale: SupportedLocale;
  /** The locale dates and amounts are formatted for: the viewer's own (en-US, en-GB, pt-PT…). */
  readonly intl: string;
  /** "1 test lead" / "3 test leads": the form the language's plural rules pick for `count`. */
  plural(key: PluralKey, count: number): string;
  /** "a, b and c" / "a, b e c". */
  formatList(items: string[]): string;
  /** "24 Nov 2026, 10:42" in the locale and zone. */
  formatDateTime(iso: string, timeZone: string): string;
  /** "10:42" */
  formatTime(iso: string, timeZone: string): string;
  /** A calendar date (YYYY-MM-DD) as "31 Mar 2027"; no time zone shift. */
  formatDate(isoDate: string): string;
  /** "40 %" / "40%" */
  formatPercent(fraction: number): string;
  /** "45 000,00 €" / "$45,000.00" */
  formatCurrency(value: number, currency: string): string;
}

const catalogues: Record<SupportedLocale, Messages> = { en, 'pt-PT': ptPT };

/** The activity's locale decides (any pt-* → pt-PT); without one, the configured default. */
export function pickLocale(locale: string | undefined, fallback: string): SupportedLocale {
  const chosen = locale?.trim() || fallback;
  return /^pt(-|_|$)/i.test(chosen) ? 'pt-PT' : 'en';
}

/**
 * Words come from the catalogue, formats from the viewer's own locale: an en-US viewer reads
 * "Dec 3, 2026, 3:16 PM" and "$45,000.00", en-GB "3 Dec 2026, 15:16" and "US$45,000.00". A bare
 * language, or a tag Intl does not take, formats as the catalogue's home (en-GB, pt-PT).
 */
export function formatLocale(locale: string | undefined, fallback: string): string {
  const chosen = pickLocale(locale, fallback);
  const home = chosen === 'pt-PT' ? 'pt-PT' : 'en-GB';
  const asked = (locale?.trim() || fallback).replace(/_/g, '-');
  if (!/^[a-z]{2,3}-[a-z0-9]{2,8}(-[a-z0-9]{1,8})*$/i.test(asked)) return home;
  try {
    const [canonical] = Intl.getCanonicalLocales(asked);
    // Only a region of the catalogue's own language: German dates amid English words read badly.
    return canonical?.slice(0, 3).toLowerCase() === home.slice(0, 3).toLowerCase() ? canonical : home;
  } catch {
    return home;
  }
}

export function translator(locale: string | undefined, fallback: string): Translator {
  const chosen = pickLocale(locale, fallback);
  const messages = catalogues[chosen];
  const intlLocale = formatLocale(locale, fallback);
  const t = ((key: MessageKey, params?: Record<string, string | number>) =>
    messages[key].replace(/\{(\w+)\}/g, (whole, name: string) =>
      params && name in params ? String(params[name]) : whole,
    )) as Translator;
  const plurals = new Intl.PluralRules(intlLocale);
  return Object.assign(t, {
    locale: chosen,
    intl: intlLocale,
    plural: (key: PluralKey, count: number) =>
      t(`${key}.${plurals.select(count) === 'one' ? 'one' : 'other'}` as MessageKey, { count }),
    formatList: (items: string[]) =>
      new Intl.ListFormat(intlLocale, { style: 'long', type: 'conjunction' }).format(items),
    formatDateTime: (iso: string, timeZone: string) =>
      new Intl.DateTimeFormat(intlLocale, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(
        new Date(iso),
      ),
    formatTime: (iso: string, timeZone: string) =>
      new Intl.DateTimeFormat(intlLocale, { timeStyle: 'short', timeZone }).format(new Date(iso)),
    formatDate: (isoDate: string) =>
      new Intl.DateTimeFormat(intlLocale, { dateStyle: 'medium', timeZone: 'UTC' }).format(
        new Date(`${isoDate.slice(0, 10)}T00:00:00Z`),
      ),
    formatPercent: (fraction: number) =>
      new Intl.NumberFormat(intlLocale, { style: 'percent', maximumFractionDigits: 0 }).format(fraction),
    formatCurrency: (value: number, currency: string) =>
      new Intl.NumberFormat(intlLocale, { style: 'currency', currency }).format(value),
  });
}
