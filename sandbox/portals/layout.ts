// Portal page shell: each OEM's look (colours, monogram, header), pop-up overlays, error pages.

import { html, raw, type SafeHtml } from "../html.js";
import { OEMS, type OemId } from "../domain.js";
import type { PopupKind } from "../faults.js";
import { ctl, type Drift } from "./fields.js";
import { NAV_CONTROLS } from "./common-selectors.js";
import { consentCookieName, noticeCookieName } from "./sessions.js";

export interface NavLink {
  href: string;
  text: string;
  testid: string;
}

export interface PortalPage {
  oem: OemId;
  title: string;
  body: SafeHtml;
  drift: Drift;
  username: string | null;
  nav: readonly NavLink[];
  popup: PopupKind | null;
  /** Drift 2's blocking service notice, when this page shows it. */
  notice: ServiceNotice | null;
  /** Path to come back to after "Continue session". */
  returnTo: string;
}

/**
 * A portal's service notice (drift 2 only): a modal dialog over the form pages until it is
 * acknowledged (a session cookie keeps it dismissed). Besides the acknowledge button it has a
 * destructive secondary action (sign out, discard the draft) that a robot must never press.
 */
export interface ServiceNotice {
  /** Changes when the notice text changes: an acknowledgement is for one notice. */
  id: string;
  title: string;
  body: string;
  acknowledge: string;
  /** The destructive secondary action: a link, or a button that submits a GET form. */
  destructive: { text: string; href: string; as: "link" | "button" };
}

/** Inline SVG monogram: Arden a rounded square, Borealis a hexagon, Corvid a circle. */
export function monogram(oem: OemId, size = 36): SafeHtml {
  const p = OEMS[oem];
  const shape =
    oem === "arden"
      ? `<rect x="2" y="2" width="44" height="44" rx="10" fill="${p.colour}"/>`
      : oem === "borealis"
        ? `<polygon points="24,2 44,13 44,35 24,46 4,35 4,13" fill="${p.colour}" stroke="${p.accent}" stroke-width="2"/>`
        : `<circle cx="24" cy="24" r="22" fill="${p.colour}"/><circle cx="24" cy="24" r="17" fill="none" stroke="${p.accent}" stroke-width="2"/>`;
  return raw(
    `<svg class="monogram" width="${size}" height="${size}" viewBox="0 0 48 48" role="img" aria-label="${p.name} logo" xmlns="http://www.w3.org/2000/svg">${shape}<text x="24" y="30" text-anchor="middle" font-family="Helvetica, Arial, sans-serif" font-weight="700" font-size="16" fill="#ffffff">${p.monogram}</text></svg>`,
  );
}

const BASE_CSS = `
*{box-sizing:border-box}body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:#1f2328}
a{color:var(--brand)}main{max-width:880px;margin:0 auto;padding:24px 20px 64px}
h1{font-size:1.6rem;margin:.2em 0 .6em}h2{font-size:1.2rem}
.card{background:#fff;border:1px solid #d9dde3;border-radius:8px;padding:20px 24px;margin-bottom:20px}
.field{margin:0 0 14px}.field label{display:block;font-weight:600;margin-bottom:4px}
.field input[type=text],.field input[type=email],.field input[type=tel],.field input[type=number],.field input[type=date],.field input[type=password],.field select,.field textarea,.field input[type=file]{width:100%;max-width:520px;padding:8px 10px;border:1px solid #b8bfc8;border-radius:4px;font:inherit;background:#fff}
.field.checkbox{display:flex;gap:8px;align-items:flex-start;flex-wrap:wrap}.field.checkbox label{font-weight:500;flex:1}
.field.checkbox .field-error{flex-basis:100%}
.has-error input,.has-error select,.has-error textarea{border-color:#c62828;background:#fff7f7}
.field-error{color:#c62828;margin:4px 0 0;font-size:.9rem;font-weight:600}.hint{color:#5b6470;font-size:.85rem;margin:4px 0 0}
.alert{padding:12px 16px;border-radius:6px;margin:0 0 16px}.alert-error{background:#fdecea;border:1px solid #f5c2c0;color:#8a1c1c}
.alert-success{background:#e8f5e9;border:1px solid #a5d6a7;color:#1b5e20}.alert-info{background:#eef4ff;border:1px solid #c7d7fe;color:#1e3a8a}
.alert ul{margin:6px 0 0 18px;padding:0}
button,.button{display:inline-block;padding:9px 18px;border-radius:4px;border:1px solid transparent;font:inherit;font-weight:600;cursor:pointer;text-decoration:none}
.primary{background:var(--brand);color:#fff}.secondary{background:#fff;color:#1f2328;border-color:#b8bfc8}
table{width:100%;border-collapse:collapse}th,td{text-align:left;padding:8px 10px;border-bottom:1px solid #e3e6ea}th{font-size:.85rem;text-transform:uppercase;letter-spacing:.03em;color:#5b6470}
.actions{display:flex;gap:10px;margin-top:18px}.muted{color:#5b6470}.mono{font-family:ui-monospace,SFMono-Regular,Menlo,monospace}
header.portal .muted{color:inherit;opacity:.8}
.ns-overlay{position:fixed;inset:0;background:rgba(15,18,24,.62);display:flex;align-items:center;justify-content:center;z-index:1000}
.ns-overlay[hidden]{display:none}
.ns-overlay-card{background:#fff;max-width:440px;width:92%;border-radius:10px;padding:24px;box-shadow:0 20px 50px rgba(0,0,0,.35)}
.ns-overlay-card h2{margin-top:0}.ns-overlay-card .actions{justify-content:flex-end}
.steps{display:flex;gap:8px;list-style:none;padding:0;margin:0 0 18px}.steps li{flex:1;padding:8px;border-radius:4px;background:#e6ebe8;font-size:.85rem;text-align:center}
.steps li.current{background:var(--brand);color:#fff;font-weight:700}.steps li.done{background:#cfe3d6}
.form-row{margin:0 0 16px;padding:0}.form-row__label label{display:block;font-weight:600;margin-bottom:4px}
.form-row__control input:not([type=checkbox]),.form-row__control select,.form-row__control textarea{width:100%;max-width:520px;padding:9px 11px;border:1px solid #aeb6c1;border-radius:6px;font:inherit;background:#fff}
.form-row--check .form-row__control{display:flex;gap:8px;align-items:flex-start}.form-row--check label{font-weight:500;flex:1}
.form-row--invalid input,.form-row--invalid select,.form-row--invalid textarea{border-color:#c62828;background:#fff7f7}
fieldset.form-group{border:1px solid #e1e5ea;border-radius:8px;margin:0 0 18px;padding:14px 18px}fieldset.form-group legend{font-weight:700;padding:0 6px}
.site-notice-backdrop{position:fixed;inset:0;background:rgba(20,24,32,.55);display:flex;align-items:flex-start;justify-content:center;padding-top:12vh;z-index:900}
.site-notice-panel{background:#fff;max-width:480px;width:92%;border-radius:12px;padding:22px 26px;box-shadow:0 18px 44px rgba(0,0,0,.3);border-top:5px solid var(--brand)}
.site-notice-panel h2{margin-top:0}.site-notice-actions{display:flex;gap:12px;justify-content:space-between;align-items:center;margin-top:18px}
.site-notice-actions form{margin:0}
dialog{border:none;border-radius:10px;padding:24px;max-width:460px;box-shadow:0 20px 50px rgba(0,0,0,.35)}dialog::backdrop{background:rgba(15,18,24,.55)}
`;

function themeCss(oem: OemId): string {
  const p = OEMS[oem];
  switch (oem) {
    case "arden":
      return `:root{--brand:${p.colour}}body{background:${p.background}}
header.portal{background:${p.accent};color:#fff;border-bottom:4px solid ${p.colour}}
header.portal .inner{max-width:880px;margin:0 auto;padding:12px 20px;display:flex;align-items:center;gap:14px}
header.portal .name{font-family:Georgia,"Times New Roman",serif;font-size:1.3rem;letter-spacing:.02em}
header.portal .tag{font-size:.8rem;opacity:.75}header.portal nav{margin-left:auto;display:flex;gap:16px}header.portal nav a{color:#fff;white-space:nowrap}
h1{font-family:Georgia,"Times New Roman",serif}`;
    case "borealis":
      return `:root{--brand:${p.colour}}body{background:${p.background}}
header.portal{background:${p.colour};color:#fff;border-bottom:6px solid ${p.accent}}
header.portal .inner{max-width:880px;margin:0 auto;padding:14px 20px;display:flex;align-items:center;gap:14px}
header.portal .name{font-weight:800;text-transform:uppercase;letter-spacing:.08em}header.portal .tag{font-size:.8rem;opacity:.85}
header.portal nav{margin-left:auto;display:flex;gap:16px}header.portal nav a{color:#fff;font-weight:600;white-space:nowrap}
.primary{background:${p.accent};color:#1f2328}`;
    case "corvid":
      return `:root{--brand:${p.colour}}body{background:${p.background}}
header.portal{background:#fff;color:${p.colour};border-bottom:1px solid #d9dcef;box-shadow:0 1px 0 ${p.accent}}
header.portal .inner{max-width:880px;margin:0 auto;padding:10px 20px;display:flex;align-items:center;gap:12px}
header.portal .name{font-weight:700;font-size:1.15rem}header.portal .tag{font-size:.8rem;color:#5b6470}
header.portal nav{margin-left:auto;display:flex;gap:16px}header.portal nav a{color:${p.colour};font-weight:600;white-space:nowrap}
.banner{border-left:6px solid ${p.accent}}`;
  }
}

function popupMarkup(oem: OemId, kind: PopupKind, returnTo: string): SafeHtml {
  switch (kind) {
    case "cookie_wall":
      return html`<div class="ns-overlay" id="cookie-wall" data-testid="cookie-wall" role="dialog" aria-modal="true" aria-labelledby="cookie-wall-title">
  <div class="ns-overlay-card">
    <h2 id="cookie-wall-title">We value your privacy</h2>
    <p>We use cookies to keep you signed in and to understand how our portal is used. Choose whether to accept non-essential cookies.</p>
    <div class="actions">
      <button type="button" class="secondary" id="cookie-reject" data-testid="cookie-reject" data-dismiss-overlay="consent">Reject non-essential</button>
      <button type="button" class="primary" id="cookie-accept" data-testid="cookie-accept" data-dismiss-overlay="consent">Accept all cookies</button>
    </div>
  </div>
</div>`;
    case "survey":
      return html`<div class="ns-overlay" id="survey-modal" data-testid="survey-modal" role="dialog" aria-modal="true" aria-labelledby="survey-title" hidden data-delay-ms="400">
  <div class="ns-overlay-card">
    <h2 id="survey-title">How are we doing?</h2>
    <p>Help us improve the ${OEMS[oem].name} portal by answering a 2-minute survey.</p>
    <div class="actions">
      <button type="button" class="secondary" id="survey-dismiss" data-testid="survey-dismiss" data-dismiss-overlay="survey">No thanks</button>
      <button type="button" class="primary" id="survey-accept" data-testid="survey-accept" data-dismiss-overlay="survey">Take the survey</button>
    </div>
  </div>
</div>`;
    case "session_expiry":
      return html`<div class="ns-overlay" id="session-expiry" data-testid="session-expiry" role="alertdialog" aria-modal="true" aria-labelledby="session-expiry-title">
  <div class="ns-overlay-card">
    <h2 id="session-expiry-title">Your session is about to expire</h2>
    <p>For your security you will be signed out soon. Continue your session to keep working.</p>
    <form method="post" action="/portals/${oem}/session/continue" class="actions">
      <input type="hidden" name="returnTo" value="${returnTo}">
      <a class="button secondary" id="session-signout" data-testid="session-signout" href="/portals/${oem}/logout">Sign in again</a>
      <button type="submit" class="primary" id="session-continue" data-testid="session-continue">Continue session</button>
    </form>
  </div>
</div>`;
  }
}

function noticeMarkup(notice: ServiceNotice): SafeHtml {
  const d = notice.destructive;
  const destructive =
    d.as === "link"
      ? html`<a class="button secondary" href="${d.href}" id="service-notice-leave" data-testid="service-notice-leave">${d.text}</a>`
      : html`<form method="get" action="${d.href}"><button type="submit" class="secondary" id="service-notice-leave" data-testid="service-notice-leave">${d.text}</button></form>`;
  return html`<div class="site-notice-backdrop" id="service-notice" data-testid="service-notice" data-notice-id="${notice.id}" role="dialog" aria-modal="true" aria-labelledby="service-notice-title" aria-describedby="service-notice-text">
  <div class="site-notice-panel">
    <h2 id="service-notice-title">${notice.title}</h2>
    <p id="service-notice-text">${notice.body}</p>
    <div class="site-notice-actions">
      ${destructive}
      <button type="button" class="primary" id="service-notice-ack" data-testid="service-notice-ack">${notice.acknowledge}</button>
    </div>
  </div>
</div>`;
}

function noticeScript(oem: OemId, notice: ServiceNotice): SafeHtml {
  // A session cookie (no max-age): the notice stays dismissed until the browser session ends.
  const cookie = JSON.stringify(`${noticeCookieName(oem)}=${notice.id}; path=/portals/${oem}; SameSite=Lax`);
  return raw(`<script>
(function(){
  var notice = document.getElementById("service-notice");
  var ack = document.getElementById("service-notice-ack");
  if (!notice || !ack) return;
  ack.focus();
  ack.addEventListener("click", function(){ document.cookie = ${cookie}; notice.remove(); });
})();
</script>`);
}

function popupScript(oem: OemId): SafeHtml {
  const cookie = JSON.stringify(`${consentCookieName(oem)}=1; path=/portals/${oem}; max-age=31536000; SameSite=Lax`);
  return raw(`<script>
(function(){
  document.querySelectorAll("[data-dismiss-overlay]").forEach(function(button){
    button.addEventListener("click", function(){
      if (button.getAttribute("data-dismiss-overlay") === "consent") document.cookie = ${cookie};
      var overlay = button.closest(".ns-overlay"); if (overlay) overlay.remove();
    });
  });
  document.querySelectorAll(".ns-overlay[data-delay-ms]").forEach(function(overlay){
    setTimeout(function(){ overlay.hidden = false; }, Number(overlay.getAttribute("data-delay-ms")));
  });
})();
</script>`);
}

export function renderPortalPage(page: PortalPage): SafeHtml {
  const p = OEMS[page.oem];
  const logout = ctl(NAV_CONTROLS.logout, page.drift);
  return html`<!doctype html>
<html lang="en" data-portal="${page.oem}" data-dom-version="${page.drift}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${page.title} · ${p.name}</title>
<style>${raw(BASE_CSS + themeCss(page.oem))}</style>
</head>
<body>
<header class="portal">
  <div class="inner">
    <a href="/portals/${page.oem}/" aria-label="${p.name} home">${monogram(page.oem)}</a>
    <div><div class="name">${p.name}</div><div class="tag">${p.tagline}</div></div>
    ${
      page.username
        ? html`<nav aria-label="Main">
      ${page.nav.map((l) => html`<a href="${l.href}" data-testid="${l.testid}">${l.text}</a>`)}
      <span class="muted" data-testid="signed-in-user">${page.username}</span>
      <a href="/portals/${page.oem}/logout" id="${logout.id}" data-testid="${logout.id}">${logout.text}</a>
    </nav>`
        : ""
    }
  </div>
</header>
<main>
${page.drift === 2 ? html`<div class="page-content">${page.body}</div>` : page.body}
</main>
${page.notice ? noticeMarkup(page.notice) : ""}
${page.notice ? noticeScript(page.oem, page.notice) : ""}
${page.popup ? popupMarkup(page.oem, page.popup, page.returnTo) : ""}
${page.popup ? popupScript(page.oem) : ""}
</body>
</html>`;
}

/** Unbranded gateway error page, like a real load balancer's. */
export function gatewayErrorPage(status: 502 | 503): SafeHtml {
  const text = status === 502 ? "502 Bad Gateway" : "503 Service Temporarily Unavailable";
  return html`<!doctype html>
<html><head><title>${text}</title></head>
<body style="font-family:sans-serif;text-align:center;padding-top:60px">
<h1 data-testid="gateway-error">${text}</h1>
<hr><p>nginx</p>
</body></html>`;
}

export function maintenancePage(oem: OemId): SafeHtml {
  const p = OEMS[oem];
  return html`<!doctype html>
<html lang="en" data-portal="${oem}"><head><meta charset="utf-8"><title>Scheduled maintenance · ${p.name}</title>
<style>${raw(BASE_CSS + themeCss(oem))}</style></head>
<body>
<header class="portal"><div class="inner">${monogram(oem)}<div><div class="name">${p.name}</div><div class="tag">${p.tagline}</div></div></div></header>
<main><div class="card" data-testid="maintenance" id="maintenance">
<h1>Scheduled maintenance</h1>
<p>The ${p.name} portal is temporarily unavailable while we perform scheduled maintenance. Please try again later.</p>
</div></main>
</body></html>`;
}
