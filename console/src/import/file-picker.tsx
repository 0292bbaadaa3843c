import { InboxOutlined } from '@ant-design/icons';
import { Alert, Upload } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatOf, readImportFile, type ImportFile } from './formats';

/** The file chosen, read in the browser (nothing is uploaded as a file: its rows go to POST /v1/events). */
export interface ChosenFile {
  name: string;
  content: ImportFile;
}

/** Choosing or dropping the file to import; says why when it is of another kind or cannot be read. */
export function FilePicker({ onRead }: { onRead: (file: ChosenFile) => void }) {
  const { t } = useTranslation();
  const [failure, setFailure] = useState<string>();
  const [reading, setReading] = useState(false);

  const read = async (file: File) => {
    setFailure(undefined);
    const format = formatOf(file.name);
    if (!format) return setFailure(t('import.unsupported', { name: file.name }));
    setReading(true);
    try {
      onRead({
        name: file.name,
        content: await readImportFile(format, new Uint8Array(await file.arrayBuffer())),
      });
    } catch (error) {
      setFailure(t('import.unreadableFile', { name: file.name, message: (error as Error).message }));
    } finally {
      setReading(false);
    }
  };

  return (
    <>
      {failure && <Alert type="error" role="alert" title={failure} style={{ marginBottom: 16 }} />}
      <Upload.Dragger
        accept=".ndjson,.jsonl,.csv,.xlsx"
        multiple={false}
        showUploadList={false}
        disabled={reading}
        beforeUpload={(file) => {
          void read(file);
          return Upload.LIST_IGNORE;
        }}
      >
        <p className="ant-upload-drag-icon">
          <InboxOutlined aria-hidden />
        </p>
        <p className="ant-upload-text">{t('import.choose')}</p>
        <p className="ant-upload-hint">{t('import.formats')}</p>
      </Upload.Dragger>
    </>
  );
}
