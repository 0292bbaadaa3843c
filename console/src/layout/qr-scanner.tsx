import { Alert, Button, Space, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { idFromQrText } from '../robot-id';

/** The browser's own QR decoder where it has one (Chrome on Android and macOS, Safari), typed as far as used here. */
interface BarcodeDetectorLike {
  detect(source: CanvasImageSource): Promise<{ rawValue: string }[]>;
}
declare global {
  interface Window {
    BarcodeDetector?: {
      new (options: { formats: string[] }): BarcodeDetectorLike;
      getSupportedFormats(): Promise<string[]>;
    };
  }
}

/** A decoder of video frames: BarcodeDetector when it reads QR codes, else jsQR (loaded on first use). */
async function makeDecoder(): Promise<
  (video: HTMLVideoElement, canvas: HTMLCanvasElement) => Promise<string[]>
> {
  const Detector = window.BarcodeDetector;
  if (Detector && (await Detector.getSupportedFormats()).includes('qr_code')) {
    const detector = new Detector({ formats: ['qr_code'] });
    return async (video) => (await detector.detect(video)).map((c) => c.rawValue);
  }
  const { default: jsQR } = await import('jsqr');
  return async (video, canvas) => {
    const width = video.videoWidth;
    const height = video.videoHeight;
    if (width === 0 || height === 0) return [];
    canvas.width = width;
    canvas.height = height;
    const context = canvas.getContext('2d', { willReadFrequently: true })!;
    context.drawImage(video, 0, 0, width, height);
    const code = jsQR(context.getImageData(0, 0, width, height).data, width, height);
    return code ? [code.data] : [];
  };
}

/**
 * The device camera, looking for a robot label's QR code: `onId` gets the printed ID of the first label read.
 * Frames are decoded in the page; nothing leaves the device.
 */
export function QrScanner({ onId, onClose }: { onId: (printed: string) => void; onClose: () => void }) {
  const { t } = useTranslation();
  const video = useRef<HTMLVideoElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const [problem, setProblem] = useState<string>();
  const [stray, setStray] = useState(false);

  useEffect(() => {
    let stream: MediaStream | undefined;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    (async () => {
      try {
        stream = await navigator.mediaDevices.getUserMedia({
          video: { facingMode: 'environment' },
          audio: false,
        });
      } catch {
        setProblem(t('scan.noCamera'));
        return;
      }
      if (stopped || !video.current) return;
      video.current.srcObject = stream;
      await video.current.play().catch(() => undefined);
      const decode = await makeDecoder();
      const look = async () => {
        if (stopped || !video.current || !canvas.current) return;
        for (const text of await decode(video.current, canvas.current).catch(() => [])) {
          const id = idFromQrText(text);
          if (id) {
            stopped = true;
            onId(id);
            return;
          }
          setStray(true);
        }
        timer = setTimeout(look, 150);
      };
      void look();
    })();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      for (const track of stream?.getTracks() ?? []) track.stop();
    };
  }, [onId, t]);

  return (
    <Space
      direction="vertical"
      style={{ width: '100%', maxWidth: 480 }}
      role="region"
      aria-label={t('scan.title')}
    >
      {problem ? (
        <Alert type="warning" role="alert" title={problem} />
      ) : (
        <>
          <Typography.Text>{t('scan.hint')}</Typography.Text>
          <video
            ref={video}
            muted
            playsInline
            aria-label={t('scan.video')}
            style={{ width: '100%', borderRadius: 8, background: '#000' }}
          />
          {stray && <Typography.Text type="secondary">{t('scan.notALabel')}</Typography.Text>}
        </>
      )}
      <canvas ref={canvas} hidden />
      <Button onClick={onClose}>{t('scan.close')}</Button>
    </Space>
  );
}
