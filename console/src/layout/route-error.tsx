import { Button, Flex, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { isRouteErrorResponse, useRouteError } from 'react-router';

/**
 * A page that failed to load (say a chunk gone after an upgrade) or a path no route has. Plain (no antd Result and
 * its illustrations): it is in the first bundle.
 */
export function RouteError() {
  const { t } = useTranslation();
  const error = useRouteError();
  const missing = isRouteErrorResponse(error) && error.status === 404;
  return (
    <Flex vertical align="center" gap={16} style={{ padding: 48 }} role="alert">
      <Typography.Title level={1} style={{ fontSize: 20 }}>
        {missing ? t('errors.notFound') : t('errors.pageFailed')}
      </Typography.Title>
      <Button type="primary" onClick={() => window.location.reload()}>
        {t('common.reload')}
      </Button>
    </Flex>
  );
}
