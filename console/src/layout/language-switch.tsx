import { Button } from 'antd';
import { useTranslation } from 'react-i18next';
import { rememberLanguage, type Language } from '../i18n/languages';

/** The other language, named in itself so that its reader finds it (a button: a Select would weigh on sign-in). */
const OTHER: Record<Language, { language: Language; name: string }> = {
  'zh-CN': { language: 'en-US', name: 'English' },
  'en-US': { language: 'zh-CN', name: '中文' },
};

export function LanguageSwitch({ dark = false }: { dark?: boolean }) {
  const { t, i18n } = useTranslation();
  const other = OTHER[i18n.language as Language] ?? OTHER['en-US'];
  return (
    <Button
      size="small"
      type={dark ? 'text' : 'default'}
      style={dark ? { color: '#fff' } : undefined}
      lang={other.language}
      // Named by what it shows (a spoken name must contain the visible one); what it is for, as its description.
      title={t('app.language')}
      onClick={() => {
        rememberLanguage(other.language);
        void i18n.changeLanguage(other.language);
      }}
    >
      {other.name}
    </Button>
  );
}
