import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Card, Form, Input, InputNumber, Select, Space, Switch } from 'antd';
import { useTranslation } from 'react-i18next';
import type { FieldSpec } from './model';
import { OrganisationSelect } from './organisation-select';

type Path = (string | number)[];

/** A field's label: the console's word for the property, else its name as the schema has it. */
export function useFieldLabel() {
  const { t } = useTranslation();
  return (name: string) => t(`fields.${name}`, { defaultValue: name });
}

function Field({ spec, path, listName }: { spec: FieldSpec; path: Path; listName?: Path }) {
  const { t } = useTranslation();
  const label = useFieldLabel()(spec.name);
  // Inside a Form.List the item's name is relative to the list.
  const name = listName ?? path;
  const rules = [
    ...(spec.required && spec.kind !== 'array' && spec.kind !== 'object' && spec.kind !== 'boolean'
      ? [{ required: true, message: t('errors.required', { field: label }) }]
      : []),
    ...(spec.kind === 'text' && spec.maxLength !== undefined
      ? [{ max: spec.maxLength, message: t('errors.tooLong', { field: label, max: spec.maxLength }) }]
      : []),
    ...(spec.kind === 'text' && spec.pattern !== undefined
      ? [{ pattern: new RegExp(spec.pattern), message: t('errors.pattern', { field: label }) }]
      : []),
  ];
  const item = (control: React.ReactNode, extra?: { valuePropName?: string }) => (
    <Form.Item name={name} label={label} rules={rules} tooltip={spec.description} {...extra}>
      {control}
    </Form.Item>
  );
  switch (spec.kind) {
    case 'text':
      if (spec.format === 'date') return item(<Input type="date" />);
      if (spec.format === 'date-time') return item(<Input type="datetime-local" />);
      if (spec.refersTo === 'organisation') return item(<OrganisationSelect label={label} />);
      return item(spec.multiline ? <Input.TextArea rows={3} /> : <Input />);
    case 'enum':
      return item(
        <Select
          allowClear={!spec.required}
          aria-label={label}
          options={spec.values.map((v) => ({ value: v, label: t(`values.${v}`, { defaultValue: v }) }))}
        />,
      );
    case 'number':
      return item(
        <InputNumber
          style={{ width: '100%' }}
          min={spec.minimum}
          max={spec.maximum}
          precision={spec.integer ? 0 : undefined}
        />,
      );
    case 'boolean':
      return item(<Switch />, { valuePropName: 'checked' });
    case 'json':
      return item(<Input.TextArea rows={3} placeholder="JSON" />);
    case 'object':
      return (
        <fieldset style={{ border: 0, padding: 0, margin: 0 }}>
          <legend style={{ fontSize: 14, marginBottom: 8 }}>{label}</legend>
          <div style={{ paddingInlineStart: 12, borderInlineStart: '2px solid #f0f0f0' }}>
            {spec.fields.map((f) => (
              <Field
                key={f.name}
                spec={f}
                path={[...path, f.name]}
                listName={listName ? [...listName, f.name] : undefined}
              />
            ))}
          </div>
        </fieldset>
      );
    case 'array':
      return <ListField spec={spec} path={path} listName={listName} label={label} />;
    case 'map':
      return <MapField spec={spec} path={path} listName={listName} label={label} />;
  }
}

function ListField({
  spec,
  path,
  listName,
  label,
}: {
  spec: Extract<FieldSpec, { kind: 'array' }>;
  path: Path;
  listName?: Path;
  label: string;
}) {
  const { t } = useTranslation();
  return (
    <Form.List name={listName ?? path}>
      {(items, { add, remove }) => (
        <Card size="small" title={label} style={{ marginBottom: 16 }} role="group" aria-label={label}>
          {items.map((entry, i) => (
            <Space key={entry.key} align="start" style={{ display: 'flex', width: '100%' }}>
              <div style={{ flex: 1, minWidth: 0 }}>
                {spec.item.kind === 'object' ? (
                  spec.item.fields.map((f) => (
                    <Field
                      key={f.name}
                      spec={f}
                      path={[...path, i, f.name]}
                      listName={[entry.name, f.name]}
                    />
                  ))
                ) : (
                  <Field spec={spec.item} path={[...path, i]} listName={[entry.name]} />
                )}
              </div>
              <Button
                type="text"
                icon={<MinusCircleOutlined />}
                aria-label={t('report.removeItem', { field: label, n: i + 1 })}
                onClick={() => remove(entry.name)}
              />
            </Space>
          ))}
          <Button
            type="dashed"
            block
            icon={<PlusOutlined />}
            onClick={() => add()}
            disabled={spec.maxItems !== undefined && items.length >= spec.maxItems}
          >
            {t('report.addItem', { field: label })}
          </Button>
        </Card>
      )}
    </Form.List>
  );
}

/** A record of free keys (say materials by kilogram): pairs of a key and its value. */
function MapField({
  spec,
  path,
  listName,
  label,
}: {
  spec: Extract<FieldSpec, { kind: 'map' }>;
  path: Path;
  listName?: Path;
  label: string;
}) {
  const { t } = useTranslation();
  return (
    <Form.List name={listName ?? path}>
      {(items, { add, remove }) => (
        <Card size="small" title={label} style={{ marginBottom: 16 }} role="group" aria-label={label}>
          {items.map((entry, i) => (
            <Space key={entry.key} align="start" wrap>
              <Form.Item
                name={[entry.name, 'key']}
                label={t('report.key')}
                rules={[{ required: true, message: t('errors.required', { field: t('report.key') }) }]}
              >
                <Input />
              </Form.Item>
              <Field
                spec={{ ...spec.value, name: 'value' }}
                path={[...path, i, 'value']}
                listName={[entry.name, 'value']}
              />
              <Button
                type="text"
                icon={<MinusCircleOutlined />}
                aria-label={t('report.removeItem', { field: label, n: i + 1 })}
                onClick={() => remove(entry.name)}
              />
            </Space>
          ))}
          <Button type="dashed" block icon={<PlusOutlined />} onClick={() => add()}>
            {t('report.addItem', { field: label })}
          </Button>
        </Card>
      )}
    </Form.List>
  );
}

/** The fields of a payload schema, under `payload` of the surrounding antd Form. */
export function SchemaFields({ fields, under }: { fields: FieldSpec[]; under: Path }) {
  return (
    <>
      {fields.map((f) => (
        <Field key={f.name} spec={f} path={[...under, f.name]} />
      ))}
    </>
  );
}
