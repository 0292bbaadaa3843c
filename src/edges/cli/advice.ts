/**
 * What a command-line user can do about a failure the registry or the network reported: the server speaks of
 * headers and addresses, the user types options.
 */
import { PURPOSE_FIELD, PURPOSE_HEADER, PURPOSES } from '../../domain/policy/purposes.js';
import { ApiError, NetworkError } from './client.js';
import { CliError } from './exit-codes.js';

const WHY = 'add --why <purpose> (or set ROBOTID_PURPOSE)';

/** A refusal for want of a purpose names the option instead of the header, and the purposes to choose from. */
function purposeAdvice(error: ApiError): CliError {
  const header = `send the ${PURPOSE_HEADER} header`;
  const message = error.message.includes(header) ? error.message.replace(header, WHY) : error.message;
  const details = error.details.map((line) => line.replace(`${PURPOSE_FIELD}:`, '--why:'));
  if (message === error.message) details.push(WHY);
  details.push(`purposes: ${PURPOSES.join(', ')}`);
  return new CliError(error.exitCode, message, details);
}

const REGISTRY_HINT =
  'is the registry running? start one with `npm start` in the repository (or `robotid serve`), ' +
  'or point to yours with --url <url> (or ROBOTID_URL)';

/** The error as the CLI prints it, with the next step where there is an obvious one. */
export function withAdvice(error: CliError): CliError {
  if (error instanceof ApiError && error.problem?.errors?.some((f) => f.field === PURPOSE_FIELD)) {
    return purposeAdvice(error);
  }
  if (error instanceof NetworkError) {
    return new CliError(error.exitCode, error.message, [...error.details, REGISTRY_HINT]);
  }
  return error;
}
