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

function Localised() {
  const { i18n } = useTranslation();
  const zh = i18n.language === 'zh-CN';
  useEffect(() => {
    document.documentElement.lang = i18n.language;
    document.title = i18n.t('app.title');
  }, [i18n, i18n.language]);
  return (
    <ConfigProvider
      locale={zh ? zhCNLocale : enUSLocale}
      csp={{ nonce }}
      // Narrower menu items than antd's default, so that a phone's row holds the whole menu.
      theme={{ components: { Menu: { itemPaddingInline: 10 } } }}
    >
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
