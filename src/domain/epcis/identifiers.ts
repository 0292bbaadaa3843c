/**
 * How EPCIS names a robot. Its canonical EPC is the address its QR label encodes, `<public-url>/r/<printed ID>`
 * (a web URI, as GS1 Digital Link is); the registry also accepts `urn:robotid:robot:<ID>`, for systems that want a
 * URN that does not depend on the registry's address. GS1 keys a manufacturer registered as aliases are resolved
 * elsewhere (they need the store); this file only reads and writes the registry's own two forms.
 */
export const ROBOT_URN_PREFIX = 'urn:robotid:robot:';

/** The robot's EPC in everything the registry writes: the QR code's address. */
export const robotEpc = (publicBaseUrl: string, printedId: string): string =>
  `${publicBaseUrl.replace(/\/+$/, '')}/r/${printedId}`;

/**
 * The ID text a URI names in one of the registry's own forms, not yet parsed (the caller checks it and its check
 * characters with parseRobotId, which says precisely what is wrong); undefined when the URI is in neither form.
 * The address form must be under this registry's public URL: another registry's robot is not ours to record.
 */
export function robotIdTextOf(uri: string, publicBaseUrl: string): string | undefined {
  if (uri.toLowerCase().startsWith(ROBOT_URN_PREFIX)) return uri.slice(ROBOT_URN_PREFIX.length);
  const prefix = `${publicBaseUrl.replace(/\/+$/, '')}/r/`;
  if (uri.length > prefix.length && uri.slice(0, prefix.length).toLowerCase() === prefix.toLowerCase()) {
    const rest = uri.slice(prefix.length);
    return /^[^/?#]+$/.test(rest) ? decodeURIComponent(rest) : undefined;
  }
  return undefined;
}
