import { LogoutOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button, Flex, Grid, Layout, Menu, Result, Spin, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, Outlet, useLocation, useNavigate } from 'react-router';
import { ApiError, api } from '../api/client';
import { roleOf, useMe, type Me, type Role } from '../hooks/use-me';
import { LanguageSwitch } from './language-switch';

/** The menu each role sees: a viewer reads; a reporter also reports; an administrator also administers. */
const MENU: { key: string; path: string; label: string; roles: Role[]; manufacturers?: true }[] = [
  { key: 'home', path: '/', label: 'nav.home', roles: ['viewer', 'reporter', 'administrator'] },
  { key: 'robots', path: '/robots', label: 'nav.robots', roles: ['viewer', 'reporter', 'administrator'] },
  { key: 'report', path: '/report', label: 'nav.report', roles: ['reporter', 'administrator'] },
  { key: 'import', path: '/import', label: 'nav.import', roles: ['reporter', 'administrator'] },
  {
    key: 'issue',
    path: '/issue',
    label: 'nav.issue',
    roles: ['reporter', 'administrator'],
    manufacturers: true,
  },
  {
    key: 'models',
    path: '/models',
    label: 'nav.models',
    roles: ['viewer', 'reporter', 'administrator'],
    manufacturers: true,
  },
  { key: 'admin', path: '/admin', label: 'nav.admin', roles: ['administrator'] },
  { key: 'account', path: '/account', label: 'nav.account', roles: ['viewer', 'reporter', 'administrator'] },
];

const selectedKey = (pathname: string) =>
  [...MENU].reverse().find((m) => (m.path === '/' ? pathname === '/' : pathname.startsWith(m.path)))?.key;

/** The frame of every signed-in page: menu, language, who is signed in, and the page itself. */
export function Shell() {
  const { t } = useTranslation();
  const location = useLocation();
  const me = useMe();
  if (me.isPending)
    return (
      <Flex justify="center" style={{ padding: 48 }}>
        <Spin aria-label={t('common.loading')} />
      </Flex>
    );
  if (me.error instanceof ApiError && me.error.status === 401) {
    const next = encodeURIComponent(location.pathname + location.search);
    return <Navigate to={`/sign-in?next=${next}`} replace />;
  }
  if (me.isError) return <Result status="error" title={t('errors.unreachable')} />;
  return <Frame me={me.data} />;
}

function Frame({ me }: { me: Me }) {
  const { t } = useTranslation();
  const location = useLocation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const role = roleOf(me);
  const signOut = useMutation({
    mutationFn: async () => api.DELETE('/v1/session'),
    onSettled: () => {
      queryClient.clear();
      void navigate('/sign-in', { replace: true });
    },
  });
  const manufacturer = me.organisation.roles.includes('manufacturer');
  const items = MENU.filter((m) => m.roles.includes(role) && (!m.manufacturers || manufacturer)).map((m) => ({
    key: m.key,
    label: <Link to={m.path}>{t(m.label)}</Link>,
  }));
  const key = selectedKey(location.pathname);
  const wide = Grid.useBreakpoint().md ?? true;
  return (
    <Layout style={{ minHeight: '100vh' }}>
      {/* On a phone the menu gets a row of its own, so that its items show rather than fold into "…". */}
      <Layout.Header
        style={{
          display: 'flex',
          alignItems: 'center',
          columnGap: 12,
          paddingInline: 12,
          flexWrap: 'wrap',
          height: 'auto',
          lineHeight: '48px',
        }}
      >
        <Link to="/" aria-label={t('app.name')} style={{ order: 0 }}>
          <Typography.Text strong style={{ color: '#fff', whiteSpace: 'nowrap' }}>
            {t('app.name')}
          </Typography.Text>
        </Link>
        <nav
          aria-label={t('nav.label')}
          style={wide ? { flex: 1, minWidth: 0, order: 1 } : { flex: '1 0 100%', minWidth: 0, order: 3 }}
        >
          {/* On a phone the items wrap onto a second line rather than fold into "…", whose hidden items axe
              rightly finds focusable. */}
          <Menu
            theme="dark"
            mode="horizontal"
            selectedKeys={key ? [key] : []}
            items={items}
            disabledOverflow={!wide}
            style={wide ? { lineHeight: '48px' } : { lineHeight: '40px', flexWrap: 'wrap' }}
          />
        </nav>
        <span style={{ order: 2, marginInlineStart: 'auto', display: 'flex', gap: 8, alignItems: 'center' }}>
          <LanguageSwitch dark />
          <Button
            type="text"
            style={{ color: '#fff' }}
            icon={<LogoutOutlined />}
            aria-label={t('nav.signOut')}
            title={t('nav.signOut')}
            onClick={() => signOut.mutate()}
            loading={signOut.isPending}
          />
        </span>
      </Layout.Header>
      <Layout.Content style={{ padding: 'clamp(8px, 3vw, 24px)' }}>
        <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }} data-testid="signed-in-as">
          {t('nav.signedInAs', {
            name: me.user?.name ?? me.keyId ?? '',
            organisation: me.organisation.name,
            role: t(`roles.${role}`),
          })}
        </Typography.Paragraph>
        <main>
          <Outlet context={me} />
        </main>
      </Layout.Content>
    </Layout>
  );
}
