// The wire types of the CLI and of the console, generated from openapi.json by openapi-typescript: both depend on the
// published contract, not on the server's code. `npm run openapi` writes them; test/edges/cli-generated-client.test.ts
// fails when either is stale.
import openapiTS, { astToString, COMMENT_HEADER } from 'openapi-typescript';

export const CLIENT_TYPES_PATH = 'src/edges/cli/generated/openapi.ts';
/** The console's copy (console/ imports nothing of src/, eslint.config.js). */
export const CONSOLE_TYPES_PATH = 'console/src/api/schema.ts';

/** The TypeScript source of `paths`, `components` and `operations` for the OpenAPI document `json`. */
export async function clientTypes(json: string): Promise<string> {
  return COMMENT_HEADER + astToString(await openapiTS(json));
}
