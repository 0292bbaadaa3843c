import { Alert, Card, Form, Select, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { FieldSpec } from '../schema-form/model';
import type { Table } from './formats';
import { asTranslate } from './message';
import { importTargets, targetLabel, targetOfPath, type Target } from './targets';

export interface EventTypeChoice {
  type: string;
  title: string;
}

/** The first value a column holds, to show what it is. */
const firstValue = (table: Table, column: number) =>
  table.rows.map((r) => r.cells[column]?.trim()).find((v) => v) ?? '';

/**
 * Where each column of a table goes: the event type of the rows (whose payload fields are offered), then one choice
 * per column, proposed from its header (targets.ts: proposeMapping) and changed by the person.
 */
export function ColumnMapping({
  table,
  types,
  type,
  onType,
  fields,
  columns,
  onColumns,
}: {
  table: Table;
  types: EventTypeChoice[];
  type: string | undefined;
  onType: (type: string) => void;
  fields: FieldSpec[];
  columns: (string | null)[];
  onColumns: (columns: (string | null)[]) => void;
}) {
  const { t } = useTranslation();
  const offered = importTargets(fields);
  const option = (target: Target) => ({ value: target.id, label: targetLabel(target, asTranslate(t)) });
  /** The targets offered, and the one a header names by its dotted path (say components.1.serial) if not among them. */
  const optionsFor = (header: string) => {
    const own = targetOfPath(fields, header);
    const targets = own && !offered.some((o) => o.id === own.id) ? [...offered, own] : offered;
    return [{ value: '', label: t('import.ignore') }, ...targets.map(option)];
  };
  const missing = (required: Target[]) =>
    required
      .filter((target) => !columns.includes(target.id))
      .map((target) => targetLabel(target, asTranslate(t)))
      .join(', ');
  const notMapped = missing(offered.filter((o) => o.kind === 'envelope' && o.required));
  const payloadNotMapped = missing(offered.filter((o) => o.kind === 'payload' && o.required));

  return (
    <Card size="small" title={t('import.columns')}>
      <Typography.Paragraph type="secondary">{t('import.columnsHint')}</Typography.Paragraph>
      <Form layout="vertical" component="div">
        <Form.Item label={t('import.eventType')} htmlFor="import-type" extra={t('import.eventTypeHint')}>
          <Select
            id="import-type"
            value={type}
            onChange={onType}
            showSearch={{ optionFilterProp: 'label' }}
            options={types.map((e) => ({ value: e.type, label: e.title }))}
          />
        </Form.Item>
        {table.headers.map((header, i) => (
          <Form.Item
            key={i}
            label={header}
            htmlFor={`import-column-${i}`}
            extra={firstValue(table, i) && t('import.firstValue', { value: firstValue(table, i) })}
          >
            <Select
              id={`import-column-${i}`}
              value={columns[i] ?? ''}
              onChange={(value: string) => onColumns(columns.map((c, j) => (j === i ? value || null : c)))}
              showSearch={{ optionFilterProp: 'label' }}
              options={optionsFor(header)}
            />
          </Form.Item>
        ))}
      </Form>
      {notMapped && <Alert type="error" title={t('import.notMapped', { fields: notMapped })} />}
      {!notMapped && payloadNotMapped && (
        <Alert type="warning" title={t('import.requiredNotMapped', { fields: payloadNotMapped })} />
      )}
    </Card>
  );
}
