import { Spin } from 'antd';
import QRCode from 'qrcode';
import { useEffect, useState } from 'react';

/** A TOTP secret's otpauth:// URI as a QR code for an authenticator app, drawn in the page (the secret never leaves it). */
export function TotpQr({ uri, alt }: { uri: string; alt: string }) {
  const [src, setSrc] = useState<string>();
  useEffect(() => {
    void QRCode.toDataURL(uri, { margin: 2, width: 220 }).then(setSrc);
  }, [uri]);
  return src ? <img src={src} alt={alt} width={220} height={220} /> : <Spin />;
}
