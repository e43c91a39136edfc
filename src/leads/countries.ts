// Countries as people type them ("USA", "United States", "Estados Unidos", "pt") become one
// ISO 3166-1 alpha-2 code: the phone is read in it, and it is shown by name in the reader's language.
import countries from 'i18n-iso-countries';
import en from 'i18n-iso-countries/langs/en.json' with { type: 'json' };
import es from 'i18n-iso-countries/langs/es.json' with { type: 'json' };
import pt from 'i18n-iso-countries/langs/pt.json' with { type: 'json' };

// Names are matched in the languages our buyers write them in (the marketplace sends English).
const NAME_LANGUAGES = ['en', 'pt', 'es'] as const;
for (const locale of [en, pt, es]) countries.registerLocale(locale);

const MAX_LENGTH = 80;

/** The alpha-2 code for an alpha-2, alpha-3 or a name in English, Portuguese or Spanish; else undefined. */
export function countryCode(text: string): string | undefined {
  // Names are looked up through every country's names (~15 µs); leads repeat a few countries.
  if (text.length > MAX_LENGTH * 2) return undefined; // no country is named so long: nothing to keep
  if (known.has(text)) return known.get(text);
  const code = readCountry(text);
  if (known.size >= MAX_KNOWN) known.clear();
  known.set(text, code);
  return code;
}

const known = new Map<string, string | undefined>();
const MAX_KNOWN = 2000;

function readCountry(text: string): string | undefined {
  const value = text.trim().replace(/\s+/g, ' ');
  if (value === '' || value.length > MAX_LENGTH) return undefined;
  if (/^[a-z]{2}$/i.test(value)) return countries.isValid(value) ? value.toUpperCase() : undefined;
  if (/^[a-z]{3}$/i.test(value)) {
    const code = countries.alpha3ToAlpha2(value.toUpperCase());
    if (code) return code;
  }
  for (const language of NAME_LANGUAGES) {
    const code = countries.getAlpha2Code(value, language);
    if (code) return code;
  }
  return undefined;
}

/** The country by name in `locale` ("Estados Unidos"); what was sent, when it is no country we know. */
export function countryName(text: string, locale: string): string {
  const code = countryCode(text);
  if (!code) return text.trim();
  let names = displayNames.get(locale);
  if (!names) {
    names = new Intl.DisplayNames([locale], { type: 'region' });
    displayNames.set(locale, names);
  }
  return names.of(code) ?? text.trim();
}

const displayNames = new Map<string, Intl.DisplayNames>();
