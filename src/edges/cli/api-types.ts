/** The response shapes the CLI reads: the server's own schemas, so the two cannot drift apart. */
import type { Static } from 'typebox';
import type * as S from '../http/schemas.js';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export type Organisation = Static<typeof S.Organisation>;
export type ApiKey = Static<typeof S.ApiKey>;
export type NewApiKey = ApiKey & { token: string };
export type Me = { keyId: string; organisation: Organisation };
export type Model = Static<typeof S.Model>;
export type IssueResult = Static<typeof S.IssueResult>;
export type Robot = Static<typeof S.Robot>;
