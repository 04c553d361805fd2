/**
 * What is sent, rendered once when a delivery is queued: the webhook's JSON body (a stable,
 * documented shape: `{ type, timestamp, data }`, as Standard Webhooks recommends) and the email's
 * subject, plain text and simple HTML, from the same facts. Pure: no database, no clock.
 */
import { format } from "date-fns";
import { tz } from "@date-fns/tz";
import type { MorningDigest } from "../batches/digest-types";
import type { DigestOwner, ErrorClass } from "../domain/vocabulary";
import { formatCount } from "../format/number";
import { humanize } from "../format/text";
import { SENT_ALERT_KINDS, type AlertMessageType } from "./vocabulary";

/** Where links point: NIGHTSHIFT_PUBLIC_URL, or null (then messages carry paths only). */
export interface LinkBase {
  publicUrl: string | null;
}

/** A link into the dashboard: always its path; its absolute URL only when NIGHTSHIFT_PUBLIC_URL is set. */
export interface DashboardLink {
  path: string;
  url: string | null;
}

export function dashboardLink(base: LinkBase, path: string): DashboardLink {
  return { path, url: base.publicUrl ? `${base.publicUrl.replace(/\/+$/, "")}${path}` : null };
}

export interface AlertPayloadData {
  id: string;
  kind: string;
  severity: string;
  title: string;
  message: string;
  oem: { id: string; label: string } | null;
  openedAt: string;
  resolvedAt: string | null;
  /** 1, 2, … on `alert.reminder`; null otherwise. */
  reminder: number | null;
  link: DashboardLink;
}

export interface DigestPayloadData {
  batchId: string;
  /** The local night, e.g. "2026-12-02". */
  night: string;
  headline: string;
  metSla: boolean;
  deadline: string | null;
  eligible: number;
  submitted: number;
  failed: number;
  unfinished: number;
  /** Groups of terminal fails that need someone, largest first (at most 10). */
  groups: Array<{ oem: { id: string; label: string }; errorClass: ErrorClass | null; errorCode: string | null; owner: DigestOwner; count: number; link: DashboardLink }>;
  moreGroups: number;
  link: DashboardLink;
}

export interface TestPayloadData {
  destinationId: string;
  requestedBy: string;
  message: string;
}

/** The webhook body. `timestamp` is when the message was made (not when it was sent). */
export type WebhookPayload =
  | { type: "alert.opened" | "alert.reminder" | "alert.resolved"; timestamp: string; data: AlertPayloadData }
  | { type: "digest.ready"; timestamp: string; data: DigestPayloadData }
  | { type: "test"; timestamp: string; data: TestPayloadData };

/** A rendered message, stored on its delivery row. */
export interface AlertMessage {
  type: AlertMessageType;
  subject: string;
  text: string;
  html: string;
  payload: WebhookPayload;
}

const OWNER_LABEL: Record<DigestOwner, string> = { ops: "Ops", engineering: "Engineering", admin: "An admin" };

function escapeHtml(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

function linkText(link: DashboardLink): string {
  return link.url ?? `${link.path} (in Nightshift; set NIGHTSHIFT_PUBLIC_URL for a clickable link)`;
}

function linkHtml(link: DashboardLink, label: string): string {
  return link.url ? `<a href="${escapeHtml(link.url)}">${escapeHtml(label)}</a>` : `${escapeHtml(label)}: ${escapeHtml(link.path)}`;
}

function page(title: string, body: string): string {
  return (
    `<!doctype html><html><body style="font-family:system-ui,-apple-system,Segoe UI,sans-serif;color:#111;line-height:1.45;max-width:640px">` +
    `<h2 style="font-size:18px;margin:0 0 12px">${escapeHtml(title)}</h2>${body}` +
    `<p style="color:#555;font-size:12px;margin-top:24px">Sent by Nightshift. Admins choose who receives what on Settings → Alerts and digest.</p></body></html>`
  );
}

export interface AlertFacts {
  id: string;
  kind: string;
  severity: string;
  message: string;
  oemId: string | null;
  oemLabel: string | null;
  createdAt: Date;
  resolvedAt: Date | null;
}

/** Where an alert's reader acts: the portal page for portal alerts, the batches for the night's. */
function alertPath(alert: AlertFacts): string {
  if (alert.kind === "portal_paused") return "/portals";
  if (alert.kind === "site_changed_spike") return alert.oemId ? `/triage?oem=${encodeURIComponent(alert.oemId)}` : "/triage";
  if (alert.kind === "batch_at_risk" || alert.kind === "night_late") return "/batches";
  return "/";
}

export function renderAlertMessage(params: { type: "alert.opened" | "alert.reminder" | "alert.resolved"; alert: AlertFacts; reminder?: number; links: LinkBase; now: Date }): AlertMessage {
  const { alert, type } = params;
  const title = SENT_ALERT_KINDS[alert.kind]?.title ?? humanize(alert.kind);
  const link = dashboardLink(params.links, alertPath(alert));
  const data: AlertPayloadData = {
    id: alert.id,
    kind: alert.kind,
    severity: alert.severity,
    title,
    message: alert.message,
    oem: alert.oemId ? { id: alert.oemId, label: alert.oemLabel ?? alert.oemId } : null,
    openedAt: alert.createdAt.toISOString(),
    resolvedAt: alert.resolvedAt?.toISOString() ?? null,
    reminder: type === "alert.reminder" ? (params.reminder ?? 1) : null,
    link,
  };
  const prefix = type === "alert.resolved" ? "Resolved" : type === "alert.reminder" ? "Still open" : alert.severity === "critical" ? "Critical" : "Alert";
  const subject = `[Nightshift] ${prefix}: ${title}${data.oem ? ` — ${data.oem.label}` : ""}`;
  const opened = `Opened ${alert.createdAt.toISOString().replace("T", " ").slice(0, 16)} UTC`;
  const status =
    type === "alert.resolved"
      ? `Resolved ${alert.resolvedAt?.toISOString().replace("T", " ").slice(0, 16) ?? ""} UTC.`
      : type === "alert.reminder"
        ? `This alert is still open (reminder ${data.reminder}). ${opened}.`
        : `${opened}.`;
  const text = [subject.replace("[Nightshift] ", ""), "", alert.message, "", status, "", `Open Nightshift: ${linkText(link)}`].join("\n");
  const html = page(subject.replace("[Nightshift] ", ""), `<p>${escapeHtml(alert.message)}</p><p style="color:#555">${escapeHtml(status)}</p><p>${linkHtml(link, "Open Nightshift")}</p>`);
  return { type, subject, text, html, payload: { type, timestamp: params.now.toISOString(), data } };
}

export interface DigestFacts {
  batchId: string;
  nightKey: string;
  digest: MorningDigest;
  oemLabels: Record<string, string>;
  timeZone: string;
}

const MAX_GROUPS = 10;
const MAX_GROUPS_IN_EMAIL = 5;

export function renderDigestMessage(params: { facts: DigestFacts; links: LinkBase; now: Date }): AlertMessage {
  const { digest, nightKey, batchId, oemLabels, timeZone } = params.facts;
  const night = format(new Date(`${nightKey}T12:00:00Z`), "EEEE, MMMM d", { in: tz("UTC") });
  const link = dashboardLink(params.links, `/batches/${batchId}`);
  const groups = digest.groups.slice(0, MAX_GROUPS).map((g) => ({
    oem: { id: g.oemId, label: oemLabels[g.oemId] ?? g.oemId },
    errorClass: g.errorClass,
    errorCode: g.errorCode,
    owner: g.owner,
    count: g.count,
    link: dashboardLink(params.links, `/triage?oem=${encodeURIComponent(g.oemId)}`),
  }));
  const data: DigestPayloadData = {
    batchId,
    night: nightKey,
    headline: digest.headline,
    metSla: digest.metSla,
    deadline: digest.deadline,
    eligible: digest.eligible,
    submitted: digest.submitted,
    failed: digest.terminalFails,
    unfinished: digest.unfinished,
    groups,
    moreGroups: Math.max(0, digest.groups.length - MAX_GROUPS),
    link,
  };
  const sla = digest.metSla ? "SLA met" : "SLA missed";
  const deadline = digest.deadline ? ` (deadline ${format(new Date(digest.deadline), "h:mm a", { in: tz(timeZone) })})` : "";
  const subject = `[Nightshift] ${night}: ${sla} — ${formatCount(digest.submitted)} submitted, ${formatCount(digest.terminalFails)} failed`;
  const counts = `Submitted ${formatCount(digest.submitted)} · Failed ${formatCount(digest.terminalFails)}${digest.unfinished > 0 ? ` · Unfinished ${formatCount(digest.unfinished)}` : ""} · of ${formatCount(digest.eligible)}`;
  const groupLine = (g: (typeof groups)[number]) => `${g.oem.label}: ${formatCount(g.count)} × ${g.errorClass ? humanize(g.errorClass) : "unclassified"}${g.errorCode ? ` (${g.errorCode})` : ""} — ${OWNER_LABEL[g.owner]}`;
  const shown = groups.slice(0, MAX_GROUPS_IN_EMAIL);
  const more = digest.groups.length - shown.length;
  const needs =
    groups.length === 0
      ? ["Nothing needs anyone."]
      : ["Needs someone:", ...shown.map((g) => `- ${groupLine(g)}`), ...(more > 0 ? [`- and ${formatCount(more)} more group${more === 1 ? "" : "s"}`] : [])];
  const text = [`Morning digest — ${night}`, "", digest.headline, "", `${sla}${deadline}`, counts, "", ...needs, "", `Open the night: ${linkText(link)}`].join("\n");
  const slaColour = digest.metSla ? "#166534" : "#b91c1c";
  const html = page(
    `Morning digest — ${night}`,
    `<p style="font-size:16px"><strong>${escapeHtml(digest.headline)}</strong></p>` +
      `<p><span style="color:${slaColour};font-weight:600">${escapeHtml(sla)}</span>${escapeHtml(deadline)}<br>${escapeHtml(counts)}</p>` +
      (groups.length === 0
        ? `<p>Nothing needs anyone.</p>`
        : `<p style="margin-bottom:4px"><strong>Needs someone</strong></p><ul style="margin-top:0">${shown.map((g) => `<li>${linkHtml(g.link, groupLine(g))}</li>`).join("")}${more > 0 ? `<li>and ${formatCount(more)} more</li>` : ""}</ul>`) +
      `<p>${linkHtml(link, "Open the night in Nightshift")}</p>`,
  );
  return { type: "digest.ready", subject, text, html, payload: { type: "digest.ready", timestamp: params.now.toISOString(), data } };
}

export function renderTestMessage(params: { destinationId: string; requestedBy: string; links: LinkBase; now: Date }): AlertMessage {
  const message = "This is a test message from Nightshift: this destination receives what it is set to receive.";
  const link = dashboardLink(params.links, "/settings");
  return {
    type: "test",
    subject: "[Nightshift] Test message",
    text: [message, "", `Requested by ${params.requestedBy}.`, `Settings: ${linkText(link)}`].join("\n"),
    html: page("Test message", `<p>${escapeHtml(message)}</p><p style="color:#555">Requested by ${escapeHtml(params.requestedBy)}.</p><p>${linkHtml(link, "Settings")}</p>`),
    payload: { type: "test", timestamp: params.now.toISOString(), data: { destinationId: params.destinationId, requestedBy: params.requestedBy, message } },
  };
}
