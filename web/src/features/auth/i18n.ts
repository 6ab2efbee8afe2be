// The auth feature's own strings (registration and the link to it from sign-in); sign-in's older
// strings live in src/locales.
import { addTranslations } from '@/lib/i18n';
import de from './locales/de.json';
import en from './locales/en.json';

addTranslations({ en, de });
