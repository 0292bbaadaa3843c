import { createHash, randomBytes } from 'node:crypto';

/** 256 random bits, URL-safe: invitation links and session cookies. */
export const newToken = () => randomBytes(32).toString('base64url');

/** What the store keeps of a token: its SHA-256 (the token is unguessable, so a fast hash is as good as a slow one). */
export const hashToken = (token: string) => createHash('sha256').update(token).digest();
