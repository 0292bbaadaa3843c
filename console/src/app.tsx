import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { ConfigProvider } from 'antd';
// The ES modules of the locales: antd/locale/* are CommonJS and would bring antd's CommonJS build along.
import enUSLocale from 'antd/es/locale/en_US';
import zhCNLocale from 'antd/es/locale/zh_CN';
import { useEffect } from 'react';
import { I18nextProvider, useTranslation } from 'react-i18next';
import { RouterProvider } from 'react-router';
import { ApiError } from './api/client';
import { i18next } from './i18n';
import { router } from './router';

/**
 * The registry puts a fresh nonce into index.html for each response and allows styles carrying it (its
 * Content-Security-Policy has no 'unsafe-inline'); antd's CSS-in-JS sets it on every style element it injects.
 */
const nonce = document.querySelector<HTMLMetaElement>('meta[name="csp-nonce"]')?.content || undefined;
if (nonce) {
  // A few of antd's helpers (rc-util's scrollbar measurement and scroll locker) inject a style element without the
  // nonce ConfigProvider hands the rest: every style element this page creates gets it before it is inserted.
  const createElement = document.createElement.bind(document);
  document.createElement = ((tag: string, options?: ElementCreationOptions) => {
    const element = createElement(tag, options);
    if (tag.toLowerCase() === 'style') element.nonce = nonce;
    return element;
  }) as typeof document.createElement;
}

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // A refusal (4xx) will not change by asking again; the network or a busy server might.
      retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
      staleTime: 10_000,
      refetchOnWindowFocus: false,
    },
  },
});

/**
 * antd's default colours, darkened where they fail WCAG AA's 4.5:1 on white (axe-core, test/e2e): its primary blue
 * under white text (4.1:1), lighter still on hover, and its grey secondary text (labels of descriptions, form hints: 3.4:1).
 */
const ACCESSIBLE_THEME = {
  token: {
    colorPrimary: '#0958d9',
    // antd lightens the primary for hover; darker keeps white text legible under the pointer.
    colorPrimaryHover: '#003eb3',
    colorPrimaryActive: '#002c8c',
    colorLink: '#0958d9',
    // A link in text is told apart by more than its colour.
    linkDecoration: 'underline',
    colorTextTertiary: 'rgba(0, 0, 0, 0.62)',
    colorTextDescription: 'rgba(0, 0, 0, 0.62)',
    // Empty tables' and lists' "no data" are drawn in it, and are text to read (disabled fields keep their grey ground).
    colorTextDisabled: 'rgba(0, 0, 0, 0.55)',
  },
  components: {
    // The dark header menu: its items' text at full white on the selected item's blue and on the dark bar.
    // Narrower items than antd's default, so that a phone's row holds the whole menu.
    Menu: {
      darkItemColor: 'rgba(255, 255, 255, 0.85)',
      darkItemSelectedColor: '#fff',
      itemPaddingInline: 10,
    },
    // Tags write in a colour on its lightest tint: status tags in the status colour, coloured tags in shade 7.
    Tag: {
      colorSuccess: '#237804',
      colorError: '#a8071a',
      colorWarning: '#873800',
      green7: '#135200',
      orange7: '#873800',
      gold7: '#874d00',
      volcano7: '#ad2102',
    },
  },
};

function Localised() {
  const { i18n } = useTranslation();
  const zh = i18n.language === 'zh-CN';
  useEffect(() => {
    document.documentElement.lang = i18n.language;
    document.title = i18n.t('app.title');
  }, [i18n, i18n.language]);
  return (
    <ConfigProvider locale={zh ? zhCNLocale : enUSLocale} csp={{ nonce }} theme={ACCESSIBLE_THEME}>
      <RouterProvider router={router} />
    </ConfigProvider>
  );
}

export function App() {
  return (
    <I18nextProvider i18n={i18next}>
      <QueryClientProvider client={queryClient}>
        <Localised />
      </QueryClientProvider>
    </I18nextProvider>
  );
}
