/** How `robotid verify` reports on a robot passport (docs/passport.md). */
import type { PassportReport } from '../../../passport/passport.js';
import { err, fields, out } from '../output.js';

const shown = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));

/** Claims are printed only when everything verified: an unverified value is not worth reading. */
export function printPassportReport(report: PassportReport) {
  for (const problem of report.problems) err(`FAILED: ${problem}`);
  if (!report.ok) {
    out(`NOT VERIFIED: ${report.problems.length} problem(s) with the passport`);
    return;
  }
  out(
    `passport of robot ${report.robotId}, issued by ${report.issuer} (jurisdiction ${report.jurisdiction}) ` +
      `at ${report.issuedAt}`,
  );
  if (report.format === 'legacy')
    out(
      'format: legacy (issued before SD-JWT VC: typ vnd.robotid.passport+sd-jwt, EdDSA, no expiry); ' +
        'accepted during the transition — fetch a current passport',
    );
  else out(`format: SD-JWT VC, valid until ${report.expiresAt}`);
  const cp = report.checkpoint!;
  out(`checkpoint: ${cp.origin}, tree size ${cp.size}, signature valid`);
  const disclosed = Object.entries(report.disclosed);
  if (disclosed.length > 0)
    out(`disclosed:\n${fields(disclosed.map(([name, value]) => [name, shown(value)]))}`);
  out(`withheld: ${report.withheld.length > 0 ? report.withheld.join(', ') : 'none'}`);
  out(
    `VERIFIED: the registry’s key signed this passport and its ${disclosed.length} disclosed claim(s); ` +
      `${report.withheld.length} withheld`,
  );
}
