// German and English, every visible string through t(). The language is the user's own, else
// their tenant's, else the browser's (before sign-in: the last one chosen on this device).
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import de from '@/locales/de.json';
import en from '@/locales/en.json';

export const LANGUAGES = ['en', 'de'] as const;
export type Language = (typeof LANGUAGES)[number];
const STORAGE_KEY = 'kontor.language';

function isLanguage(v: unknown): v is Language {
  return typeof v === 'string' && (LANGUAGES as readonly string[]).includes(v);
}

export function browserLanguage(): Language {
  const stored = typeof localStorage !== 'undefined' ? localStorage.getItem(STORAGE_KEY) : null;
  if (isLanguage(stored)) return stored;
  const nav = typeof navigator !== 'undefined' ? (navigator.languages ?? [navigator.language]) : [];
  for (const tag of nav) {
    const base = tag.toLowerCase().split('-')[0];
    if (isLanguage(base)) return base;
  }
  return 'en';
}

// The language for a signed-in user: theirs, their tenant's, the browser's.
export function chooseLanguage(userLocale?: string | null, tenantLocale?: string | null): Language {
  if (isLanguage(userLocale)) return userLocale;
  if (isLanguage(tenantLocale)) return tenantLocale;
  return browserLanguage();
}

export function setLanguage(lang: Language, remember = false) {
  if (remember) localStorage.setItem(STORAGE_KEY, lang);
  if (i18n.language !== lang) void i18n.changeLanguage(lang);
  document.documentElement.lang = lang;
}

void i18n.use(initReactI18next).init({
  resources: { en: { translation: en }, de: { translation: de } },
  lng: browserLanguage(),
  fallbackLng: 'en',
  interpolation: { escapeValue: false },
  returnNull: false,
});

// A feature brings its own strings (src/features/<feature>/locales/{en,de}.json) and adds them when
// its module loads, so they travel in the feature's chunk, not in the initial bundle. Keys are
// merged into the one `translation` namespace under the feature's top-level key (e.g. `desk.*`).
export function addTranslations(resources: Record<Language, object>) {
  for (const lang of LANGUAGES)
    i18n.addResourceBundle(lang, 'translation', resources[lang], true, true);
}

export default i18n;
