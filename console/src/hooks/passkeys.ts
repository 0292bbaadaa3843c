// WebAuthn in the browser (@simplewebauthn/browser, loaded only when a passkey is used), with the options the
// registry makes and the answers it checks (issue 19 contract: /v1/session/passkey, /v1/me/passkeys).
import type { paths } from '../api/schema';
import { api, ok } from '../api/client';

type SignInBody = NonNullable<
  paths['/v1/session/passkey']['post']['requestBody']
>['content']['application/json'];
type AddBody = NonNullable<paths['/v1/me/passkeys']['post']['requestBody']>['content']['application/json'];

/** Signs in with a passkey: the registry's challenge, the authenticator's assertion, the session cookie. */
export async function signInWithPasskey() {
  const { startAuthentication } = await import('@simplewebauthn/browser');
  const { challengeId, options } = ok(await api.POST('/v1/session/passkey/options', { body: {} }));
  const response = await startAuthentication({ optionsJSON: options as never });
  return api.POST('/v1/session/passkey', {
    body: { challengeId, response: response as unknown as SignInBody['response'] },
  });
}

/** Registers a new passkey for the signed-in person under `name`. */
export async function addPasskey(name: string) {
  const { startRegistration } = await import('@simplewebauthn/browser');
  const options = ok(await api.POST('/v1/me/passkeys/options'));
  const response = await startRegistration({ optionsJSON: options as never });
  return ok(
    await api.POST('/v1/me/passkeys', {
      body: { name, response: response as unknown as AddBody['response'] },
    }),
  );
}

/** The user dismissed the browser's passkey dialog (or it timed out): not an error to report. */
export const cancelled = (error: unknown) =>
  error instanceof Error && (error.name === 'NotAllowedError' || error.name === 'AbortError');
