// The users feature's strings, added when one of its screens loads.
import { addTranslations } from '@/lib/i18n';
import de from './locales/de.json';
import en from './locales/en.json';

addTranslations({ en, de });
