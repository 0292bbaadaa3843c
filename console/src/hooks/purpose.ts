// Why the signed-in person reads (RobotID-Purpose): searches over many robots need one whoever asks, a regulator's
// reads of others' robots too; the registry keeps it in the read audit. Chosen when first needed and kept for the
// browser tab's session (sessionStorage), never guessed: a purpose the person did not state would falsify the audit.
import { useSyncExternalStore } from 'react';
import type { paths } from '../api/schema';
import { ApiError } from '../api/client';
import { problemCode } from '../problems';

type Header = NonNullable<paths['/v1/robots']['get']['parameters']['header']>;
export type Purpose = NonNullable<Header['robotid-purpose']>;

export const PURPOSES = [
  'inspection',
  'recall',
  'incident_investigation',
  'market_surveillance',
  'statistics',
  'law_enforcement',
  'customs',
  'data_subject_request',
] as const satisfies readonly Purpose[];
const everyPurpose: Exclude<Purpose, (typeof PURPOSES)[number]> extends never ? true : false = true;
void everyPurpose;

const KEY = 'robotid.purpose';
const listeners = new Set<() => void>();

const read = (): Purpose | undefined => {
  const saved = globalThis.sessionStorage?.getItem(KEY);
  return PURPOSES.find((p) => p === saved);
};

export function setPurpose(purpose: Purpose) {
  globalThis.sessionStorage?.setItem(KEY, purpose);
  for (const listener of listeners) listener();
}

export function usePurpose(): Purpose | undefined {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    read,
    () => undefined,
  );
}

/** The header for a read: the purpose when one is chosen. */
export const purposeHeader = (purpose: Purpose | undefined) =>
  purpose ? { 'robotid-purpose': purpose } : ({} as Record<string, never>);

/** Whether a read was refused for want of a purpose (400 purpose-required). */
export const needsPurpose = (error: unknown) =>
  error instanceof ApiError && problemCode(error.problem?.type) === 'purpose-required';
