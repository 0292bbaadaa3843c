/** The compliance report as a printable page: self-contained (no scripts, no external files), every text escaped. */
import type { ComplianceReport, FindingView, RuleReport } from '../../app/compliance/report.js';
import { escapeHtml } from './html.js';

const STYLE = `body{font:14px system-ui,sans-serif;margin:2rem;color:#111}
h1{font-size:1.5rem;margin:0 0 .3rem}h2{font-size:1.15rem;margin:1.6rem 0 .3rem;border-bottom:1px solid #999}
h3{font-size:1rem;margin:.8rem 0 .3rem}.meta,.note{color:#555}table{border-collapse:collapse;width:100%}
th,td{border:1px solid #bbb;padding:.2rem .4rem;text-align:left;vertical-align:top}th{background:#eee}
td.detail{font:12px ui-monospace,monospace;word-break:break-all}.count{font-weight:600}
.open{color:#b00020}.clear{color:#0a6b2e}.off{color:#777}
@media print{body{margin:0;font-size:11px}h2{break-after:avoid}tr{break-inside:avoid}th{background:none}}`;

const day = (iso: string | null) => (iso === null ? '' : iso.slice(0, 10));

function detailText(detail: Record<string, unknown>): string {
  return Object.entries(detail)
    .filter(([, v]) => v !== null && v !== undefined)
    .map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join('; ');
}

function findingsTable(findings: FindingView[], resolved: boolean): string {
  const head = `<tr><th>Robot / subject</th><th>Details</th><th>First seen</th><th>${resolved ? 'Resolved' : 'Last seen'}</th></tr>`;
  const rows = findings
    .map(
      (f) =>
        `<tr><td>${escapeHtml(f.robotId ?? f.key)}${f.robotId !== null && f.key !== f.robotId ? `<br><span class="note">${escapeHtml(f.key)}</span>` : ''}</td>` +
        `<td class="detail">${escapeHtml(detailText(f.detail))}</td><td>${day(f.firstSeen)}</td>` +
        `<td>${day(resolved ? f.resolvedAt : f.lastSeen)}</td></tr>`,
    )
    .join('');
  return `<table>${head}${rows}</table>`;
}

function section(rule: RuleReport, limit: number): string {
  const state = !rule.enabled
    ? '<span class="off">switched off</span>'
    : rule.open.count > 0
      ? `<span class="count open">${rule.open.count} open</span>`
      : '<span class="count clear">no open findings</span>';
  const parameters = Object.entries(rule.parameters)
    .map(([k, v]) => `${k} = ${v}`)
    .join(', ');
  const shown = (count: number) =>
    count > limit ? `<p class="note">The first ${limit} of ${count} are listed.</p>` : '';
  const open =
    rule.open.count > 0
      ? `<h3>Open (${rule.open.count})</h3>${shown(rule.open.count)}${findingsTable(rule.open.findings, false)}`
      : '';
  const resolved =
    rule.resolved.count > 0
      ? `<h3>Resolved recently (${rule.resolved.count})</h3>${shown(rule.resolved.count)}${findingsTable(rule.resolved.findings, true)}`
      : '';
  return (
    `<section><h2>${escapeHtml(rule.code)} — ${state}</h2>` +
    `<p>${escapeHtml(rule.description)} Concerns ${escapeHtml(rule.concerns)}.` +
    `${parameters ? ` <span class="note">(${escapeHtml(parameters)})</span>` : ''}</p>${open}${resolved}</section>`
  );
}

export function complianceReportHtml(report: ComplianceReport): string {
  const title = `Compliance report — ${report.organisation.name}`;
  const open = report.rules.reduce((sum, r) => sum + r.open.count, 0);
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>
<h1>${escapeHtml(title)}</h1>
<p class="meta">Organisation ${escapeHtml(report.organisation.id)} · generated ${escapeHtml(report.generatedAt)} ·
${open} open finding${open === 1 ? '' : 's'} · resolved since ${day(report.resolvedSince)}</p>
${report.rules.map((r) => section(r, report.limit)).join('\n')}
</body></html>`;
}
