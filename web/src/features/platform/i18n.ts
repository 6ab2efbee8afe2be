// The platform feature's strings.
import { addTranslations } from '@/lib/i18n';
import de from './locales/de.json';
import en from './locales/en.json';

addTranslations({ en, de });
