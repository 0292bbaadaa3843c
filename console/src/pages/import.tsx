import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button, Result, Space, Spin, Typography } from 'antd';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api, ok } from '../api/client';
import { download } from '../download';
import { eventTypeTitle, useEventTypes } from '../hooks/event-types';
import { i18next } from '../i18n';
import { ColumnMapping } from '../import/column-mapping';
import { FilePicker, type ChosenFile } from '../import/file-picker';
import type { Table } from '../import/formats';
import { ImportProgress, type RunState } from '../import/import-progress';
import { asTranslate, wordsOf } from '../import/message';
import { columnNamer, rejectedCsv, rejectedNdjson } from '../import/rejected';
import { eventOfLine, eventOfRow, settleEventIds } from '../import/rows';
import { sendInBatches, type Post, type Tally } from '../import/send';
import { namesIn, proposeMapping } from '../import/targets';
import { describeFields, type FieldSpec, type JsonSchema } from '../schema-form/model';

/** Headers are recognised in every language of the console, whichever the person reads. */
const { names, fieldNames } = namesIn(
  (['en-US', 'zh-CN'] as const).map((language) => asTranslate(i18next.getFixedT(language))),
);

/** One batch, recorded as far as it is good (docs/lifecycle.md: GS1-Capture-Error-Behaviour). */
const post: Post = async (events, signal) =>
  ok(
    await api.POST('/v1/events', {
      params: { header: { 'gs1-capture-error-behaviour': 'proceed' } },
      body: { events },
      signal,
    }),
  );

const isAbort = (error: unknown) => error instanceof Error && error.name === 'AbortError';

/**
 * /console/import: lifecycle events from a file (NDJSON, CSV or XLSX), its columns mapped to the events' fields,
 * sent in batches with a progress bar; the rows the registry or the page refused come back as a file to correct
 * (docs/console.md#bulk-import).
 */
export function ImportPage() {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const types = useEventTypes();
  const [file, setFile] = useState<ChosenFile>();
  const [type, setType] = useState<string>();
  const [columns, setColumns] = useState<(string | null)[]>([]);
  const [tally, setTally] = useState<Tally>();
  const controller = useRef<AbortController>(undefined);

  const fieldsOf = (name: string | undefined): FieldSpec[] => {
    const schema = types.data?.eventTypes.find((e) => e.type === name)?.payloadSchema;
    return schema ? describeFields(schema as JsonSchema) : [];
  };
  const fields = fieldsOf(type);

  /** The type's payload fields, and the mapping proposed for them. */
  const chooseType = (table: Table, chosen: string | undefined) => {
    setType(chosen);
    setColumns(proposeMapping(table.headers, fieldsOf(chosen), names, fieldNames));
  };

  const onRead = (chosen: ChosenFile) => {
    setFile(chosen);
    const content = chosen.content;
    if (content.format === 'ndjson') return;
    // A column of event types proposes the type of its first row.
    const typeColumn = proposeMapping(content.headers, [], names, fieldNames).indexOf('type');
    const first = content.rows[0]?.cells[typeColumn]?.trim();
    chooseType(content, types.data?.eventTypes.some((e) => e.type === first) ? first : undefined);
  };

  const run = useMutation({
    mutationFn: async (content: ChosenFile['content']) => {
      controller.current = new AbortController();
      const drafts =
        content.format === 'ndjson'
          ? content.lines.map(eventOfLine)
          : content.rows.map((row) => eventOfRow(row, content.headers, { columns, type: type!, fields }));
      return sendInBatches(await settleEventIds(drafts), post, {
        signal: controller.current.signal,
        onProgress: setTally,
        fieldName:
          content.format === 'ndjson' ? (path) => path.join('.') : columnNamer(content.headers, columns),
      });
    },
    // Robots' states, timelines and the to-do have changed, whatever became of the rest.
    onSettled: () => queryClient.invalidateQueries(),
  });

  const reset = () => {
    setFile(undefined);
    setTally(undefined);
    run.reset();
  };

  const downloadRejected = () => {
    if (!file || !tally) return;
    const say = wordsOf(asTranslate(t));
    const stem = file.name.replace(/\.[^.]+$/, '');
    const content = file.content;
    if (content.format === 'ndjson')
      download(
        new Blob([rejectedNdjson(content.lines, tally.refused, say)], { type: 'application/x-ndjson' }),
        `${stem}-rejected.ndjson`,
      );
    else
      download(
        new Blob([rejectedCsv(content, tally.refused, say)], { type: 'text/csv;charset=utf-8' }),
        `${stem}-rejected.csv`,
      );
  };

  if (types.isPending) return <Spin aria-label={t('common.loading')} />;
  if (types.isError) return <Result status="error" title={t('errors.loadFailed')} />;

  const state: RunState = run.isPending
    ? 'running'
    : controller.current?.signal.aborted
      ? 'cancelled'
      : run.isError && !isAbort(run.error)
        ? 'failed'
        : 'done';
  const failure =
    run.error instanceof ApiError
      ? (run.error.problem?.detail ?? t('errors.refused', { status: run.error.status }))
      : t('errors.unreachable');
  const content = file?.content;
  const rows = content ? (content.format === 'ndjson' ? content.lines.length : content.rows.length) : 0;
  const ready =
    content?.format === 'ndjson' ||
    (type !== undefined && columns.includes('robotId') && columns.includes('eventTime'));

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={1} style={{ fontSize: 24, margin: 0 }}>
        {t('import.title')}
      </Typography.Title>
      <Typography.Paragraph style={{ margin: 0 }}>{t('import.intro')}</Typography.Paragraph>
      {!file || !content ? (
        <FilePicker onRead={onRead} />
      ) : !run.isIdle ? (
        <ImportProgress
          name={file.name}
          tally={tally ?? { done: 0, total: rows, recorded: 0, duplicates: 0, refused: [] }}
          state={state}
          failure={failure}
          onCancel={() => controller.current?.abort()}
          onDownload={downloadRejected}
          onAnother={reset}
        />
      ) : (
        <>
          <Typography.Text strong>
            {t('import.fileSummary', { name: file.name, count: rows })}
          </Typography.Text>
          {content.format !== 'ndjson' && (
            <ColumnMapping
              table={content}
              types={types.data.eventTypes.map((e) => ({
                type: e.type,
                title: eventTypeTitle(e, i18n.language),
              }))}
              type={type}
              onType={(chosen) => chooseType(content, chosen)}
              fields={fields}
              columns={columns}
              onColumns={setColumns}
            />
          )}
          {rows === 0 ? (
            <Typography.Text>{t('import.empty')}</Typography.Text>
          ) : (
            <Button type="primary" disabled={!ready} onClick={() => run.mutate(content)} block>
              {t('import.start', { count: rows })}
            </Button>
          )}
          <Button onClick={reset} block>
            {t('import.another')}
          </Button>
        </>
      )}
    </Space>
  );
}
