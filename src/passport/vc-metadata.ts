/**
 * What SD-JWT VC (draft-ietf-oauth-sd-jwt-vc) has a wallet or a foreign verifier fetch about a passport: the type
 * metadata its `vct` resolves to (which claims, how to label them) and the issuer metadata at the well-known path
 * (the key). Pure: the documents depend only on the registry's public URL and key; the HTTP edge serves them.
 */
import { createHash } from 'node:crypto';
import { PASSPORT_CLAIMS, type PassportClaimName } from './claims.js';

/** The type's path under the registry's public URL; a new version of the claims gets a new path. */
export const PASSPORT_VCT_PATH = '/vct/robot-passport/v1';
export const passportVct = (publicBaseUrl: string) => `${publicBaseUrl}${PASSPORT_VCT_PATH}`;

type Label = readonly [zh: string, en: string];
const display = ([zh, en]: Label) => [
  { locale: 'zh-CN', label: zh },
  { locale: 'en', label: en },
];

const DISCLOSABLE_LABELS: Record<PassportClaimName, Label> = {
  manufacturer: ['制造商', 'Manufacturer'],
  model: ['型号', 'Model'],
  productionMonth: ['生产年月', 'Production month'],
  state: ['生命周期状态', 'Lifecycle state'],
  certification: ['认证', 'Certification'],
  stopUse: ['停用令', 'Stop-use order'],
  recalls: ['召回', 'Recalls'],
};

/** Claims every passport shows in the clear (`iss`, `iat`, `exp`, `vct` are the JWT's own and not listed). */
const CLEAR_LABELS: Record<string, Label> = {
  sub: ['机器人编号', 'Robot ID'],
  jurisdiction: ['管辖国家', 'Jurisdiction'],
  checkpoint: ['透明日志检查点', 'Transparency log checkpoint'],
};

/** The SD-JWT VC Type Metadata document (the draft's "SD-JWT VC Type Metadata"): names, display in Chinese and English, one entry per claim. */
export function passportTypeMetadata(publicBaseUrl: string) {
  return {
    vct: passportVct(publicBaseUrl),
    name: 'Robot passport',
    description:
      'A national robot registry’s signed statement of one humanoid robot’s public facts, as of a signed ' +
      'checkpoint of its transparency log.',
    display: [
      { locale: 'zh-CN', name: '机器人护照', description: '人形机器人登记机构签发的机器人公开信息声明' },
      {
        locale: 'en',
        name: 'Robot passport',
        description: 'A robot registry’s signed statement about a robot',
      },
    ],
    claims: [
      ...Object.entries(CLEAR_LABELS).map(([name, label]) => ({
        path: [name],
        display: display(label),
        mandatory: true,
        sd: 'never',
      })),
      ...PASSPORT_CLAIMS.map((name) => ({
        path: [name],
        display: display(DISCLOSABLE_LABELS[name]),
        mandatory: true,
        sd: 'always',
      })),
    ],
  };
}

export interface TypeMetadataDocument {
  /** The JSON exactly as served: `vct#integrity` is a digest of these bytes. */
  text: string;
  /** `vct#integrity` ("Integrity of Referenced Documents", W3C SRI syntax): `sha256-` and the base64 SHA-256 of `text`. */
  integrity: string;
}

const documents = new Map<string, TypeMetadataDocument>();

/** The served document and its integrity string, computed once per public URL. */
export function passportTypeMetadataDocument(publicBaseUrl: string): TypeMetadataDocument {
  let document = documents.get(publicBaseUrl);
  if (!document) {
    const text = JSON.stringify(passportTypeMetadata(publicBaseUrl));
    document = { text, integrity: `sha256-${createHash('sha256').update(text).digest('base64')}` };
    documents.set(publicBaseUrl, document);
  }
  return document;
}

/**
 * Where JWT VC Issuer Metadata lives for an issuer URL ("JWT VC Issuer Metadata"): `/.well-known/jwt-vc-issuer` goes between the
 * host and the path, so `https://h/robotid` has it at `https://h/.well-known/jwt-vc-issuer/robotid`.
 */
export function jwtVcIssuerMetadataPath(issuer: string): string {
  const path = new URL(issuer).pathname.replace(/\/+$/, '');
  return `/.well-known/jwt-vc-issuer${path}`;
}
