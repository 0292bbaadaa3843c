// The CLI's wire types, generated from openapi.json by openapi-typescript: the CLI depends on the published contract,
// not on the server's code. `npm run openapi` writes them; test/edges/cli-generated-client.test.ts fails when stale.
import openapiTS, { astToString, COMMENT_HEADER } from 'openapi-typescript';

export const CLIENT_TYPES_PATH = 'src/edges/cli/generated/openapi.ts';

/** The TypeScript source of `paths`, `components` and `operations` for the OpenAPI document `json`. */
export async function clientTypes(json: string): Promise<string> {
  return COMMENT_HEADER + astToString(await openapiTS(json));
}
