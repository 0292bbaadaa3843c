import { Tabs, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useOutletContext, useSearchParams } from 'react-router';
import type { Me } from '../../hooks/use-me';
import { KeysTab } from './keys-tab';
import { PeopleTab } from './people-tab';
import { WebhooksTab } from './webhooks-tab';

const TABS = ['people', 'keys', 'webhooks'] as const;
type Tab = (typeof TABS)[number];

/**
 * /console/admin: an organisation's administration, one tab per concern: its people (invitations, roles, removal,
 * sign-in locks), its API keys and its webhook subscriptions. The tab is in the address (?tab=), so a link or a
 * reload opens the same one.
 */
export function AdminPage() {
  const { t } = useTranslation();
  const me = useOutletContext<Me>();
  const [params, setParams] = useSearchParams();
  const asked = params.get('tab') as Tab | null;
  const active: Tab = asked && TABS.includes(asked) ? asked : 'people';
  const tabs = { people: <PeopleTab me={me} />, keys: <KeysTab me={me} />, webhooks: <WebhooksTab /> };
  return (
    <>
      <Typography.Title level={1} style={{ fontSize: 24, margin: 0 }}>
        {t('admin.title', { organisation: me.organisation.name })}
      </Typography.Title>
      <Tabs
        activeKey={active}
        onChange={(tab) => setParams({ tab }, { replace: true })}
        items={TABS.map((tab) => ({ key: tab, label: t(`admin.tabs.${tab}`), children: tabs[tab] }))}
      />
    </>
  );
}
