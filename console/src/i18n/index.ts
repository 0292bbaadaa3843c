import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { enUS } from './en-US';
import { zhCN } from './zh-CN';
import { initialLanguage } from './languages';

export const RESOURCES = {
  'en-US': { translation: enUS },
  'zh-CN': { translation: zhCN },
} as const;

void i18next.use(initReactI18next).init({
  resources: RESOURCES,
  lng: initialLanguage(),
  fallbackLng: false,
  // React escapes what it renders.
  interpolation: { escapeValue: false },
  returnNull: false,
});

export { i18next };
