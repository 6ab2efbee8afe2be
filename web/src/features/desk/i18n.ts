// The desk's strings (locales/{en,de}.json under `desk`), added when a desk screen loads.
import { addTranslations } from '@/lib/i18n';
import de from './locales/de.json';
import en from './locales/en.json';

addTranslations({ en, de });
