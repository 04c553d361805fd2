// Human pages: the sandbox index (links to the portals and the CRM) and a read-only CRM case list.

import type { SandboxRuntime } from "./context.js";
import { OEMS, OEM_IDS, optionLabel } from "./domain.js";
import { html, raw, type SafeHtml } from "./html.js";
import { sendHtml, type Router } from "./http.js";
import { monogram } from "./portals/layout.js";

const CSS = `body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f6f7f9;color:#1f2328}
main{max-width:1040px;margin:0 auto;padding:32px 20px}h1{margin:0 0 4px}.muted{color:#5b6470}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(260px,1fr));gap:16px;margin:24px 0}
.card{background:#fff;border:1px solid #d9dde3;border-radius:10px;padding:18px 20px}.card h2{display:flex;align-items:center;gap:10px;margin:0 0 6px;font-size:1.1rem}
table{width:100%;border-collapse:collapse;background:#fff}th,td{text-align:left;padding:7px 9px;border-bottom:1px solid #e3e6ea;font-size:.9rem}
th{font-size:.75rem;text-transform:uppercase;color:#5b6470}.mono{font-family:ui-monospace,Menlo,monospace}
.badge{display:inline-block;padding:1px 8px;border-radius:999px;font-size:.8rem;font-weight:600;background:#eef0f3}
.s-submitted{background:#e3f5e7;color:#1b5e20}.s-failed{background:#fdecea;color:#8a1c1c}.s-needs_review{background:#fff1e0;color:#8a4b00}
.s-in_progress,.s-queued{background:#e6efff;color:#1e3a8a}code{background:#eef0f3;padding:1px 5px;border-radius:4px}`;

function shell(title: string, body: SafeHtml): SafeHtml {
  return html`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title><style>${raw(CSS)}</style></head>
<body><main>${body}</main></body></html>`;
}

export function registerIndexPages(router: Router, rt: SandboxRuntime): void {
  router.get("/", ({ res }) => {
    const cases = [...rt.state.cases.values()];
    sendHtml(
      res,
      200,
      shell(
        "Nightshift sandbox",
        html`<h1>Nightshift sandbox</h1>
<p class="muted">Simulated OEM portals and CRM for demos, tests and soak runs. Not production.</p>
<div class="grid">
${OEM_IDS.map((oem) => {
  const p = OEMS[oem];
  return html`<div class="card" data-testid="portal-card-${oem}">
  <h2>${monogram(oem, 28)} ${p.name}</h2>
  <p class="muted">${p.tagline}</p>
  <p><a href="/portals/${oem}/login">Open portal</a> · sign in as <code>${rt.options.portalCredentials[oem].username}</code></p>
  <p class="muted">${rt.state.filingsFor(oem).length} filing(s)</p>
</div>`;
})}
<div class="card"><h2>Sandbox CRM</h2><p class="muted">${cases.length} case(s). REST API under <code>/crm/api</code> (bearer token).</p>
<p><a href="/crm">Browse cases</a> · <a href="/sandbox/admin/faults">Fault knobs</a> · <a href="/sandbox/admin/filings">All filings</a></p></div>
</div>`,
      ),
    );
  });

  // Read-only case list for humans.
  router.get("/crm", ({ res }) => {
    const cases = [...rt.state.cases.values()].sort((a, b) => (a.updatedAt < b.updatedAt ? 1 : -1));
    sendHtml(
      res,
      200,
      shell(
        "Sandbox CRM · cases",
        html`<h1>Sandbox CRM</h1><p class="muted"><a href="/">Sandbox home</a> · ${cases.length} case(s), latest change first</p>
<table data-testid="crm-cases">
<thead><tr><th>Case</th><th>Reference</th><th>OEM</th><th>Kind</th><th>Unit</th><th>Status</th><th>Confirmation</th><th>Updated (UTC)</th></tr></thead>
<tbody>
${cases.map(
  (c) => html`<tr>
  <td class="mono">${c.id}</td><td class="mono">${c.reference}${c.redactionSensitive ? " 🔒" : ""}${c.priority === "urgent" ? " ⚡" : ""}</td>
  <td>${OEMS[c.oem].name}</td><td>${optionLabel(OEMS[c.oem].kinds, c.kind)}</td><td class="mono">${c.unit.id}</td>
  <td><span class="badge s-${c.status}">${c.status.replace("_", " ")}</span></td><td class="mono">${c.confirmationNumber ?? "—"}</td>
  <td>${c.updatedAt.slice(0, 16).replace("T", " ")}</td>
</tr>`,
)}
</tbody></table>`,
      ),
    );
  });
}
