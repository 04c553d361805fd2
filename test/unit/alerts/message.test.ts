import { describe, expect, it } from "vitest";
import type { MorningDigest } from "@/lib/batches/digest-types";
import { maskTarget } from "@/lib/alerts/destinations";
import { renderAlertMessage, renderDigestMessage } from "@/lib/alerts/message";
import { emailMessageIdFor, webhookIdFor } from "@/lib/alerts/send";
import { isSentAlert } from "@/lib/alerts/vocabulary";

const NOW = new Date("2026-12-02T13:05:00Z");
const digest: MorningDigest = {
  builtAt: NOW.toISOString(),
  reason: "deadline",
  deadline: "2026-12-02T13:00:00Z",
  eligible: 1200,
  submitted: 1180,
  rehearsed: 0,
  unfinished: 8,
  cancelled: 0,
  terminalFails: 12,
  metSla: false,
  headline: "1,180 of 1,200 cases filed by the 7:00 AM deadline; 8 were still running.",
  groups: Array.from({ length: 7 }, (_, i) => ({ oemId: "arden", fingerprint: `f${i}`, errorClass: "site_changed" as const, errorCode: "selector_missing", owner: "engineering" as const, count: 7 - i, runs: [] })),
};

describe("alert messages", () => {
  it("without NIGHTSHIFT_PUBLIC_URL, name the dashboard page instead of linking, and say how to get links", () => {
    const message = renderDigestMessage({ facts: { batchId: "b1", nightKey: "2026-12-02", digest, oemLabels: { arden: "Arden Motors" }, timeZone: "America/Chicago" }, links: { publicUrl: null }, now: NOW });
    expect(message.payload).toMatchObject({ type: "digest.ready", data: { link: { path: "/batches/b1", url: null }, failed: 12, unfinished: 8, moreGroups: 0 } });
    expect(message.text).toContain("Open the night: /batches/b1 (in Nightshift; set NIGHTSHIFT_PUBLIC_URL for a clickable link)");
    expect(message.html).not.toContain("<a ");
  });

  it("keep the digest short: the headline, SLA with its deadline in the schedule's zone, counts, at most five groups and how many more", () => {
    const message = renderDigestMessage({ facts: { batchId: "b1", nightKey: "2026-12-02", digest, oemLabels: { arden: "Arden Motors" }, timeZone: "America/Chicago" }, links: { publicUrl: "https://ns.example.com" }, now: NOW });
    expect(message.subject).toBe("[Nightshift] Wednesday, December 2: SLA missed — 1,180 submitted, 12 failed");
    const lines = message.text.split("\n");
    expect(lines).toContain("SLA missed (deadline 7:00 AM)");
    expect(lines).toContain("Submitted 1,180 · Failed 12 · Unfinished 8 · of 1,200");
    expect(lines.filter((l) => l.startsWith("- Arden Motors"))).toHaveLength(5);
    expect(lines).toContain("- and 2 more groups");
    expect(lines.length).toBeLessThan(20);
  });

  it("escape what an alert says in the HTML email", () => {
    const message = renderAlertMessage({
      type: "alert.opened",
      alert: { id: "a1", kind: "night_late", severity: "critical", message: "late <script>alert(1)</script> & co", oemId: null, oemLabel: null, createdAt: NOW, resolvedAt: null },
      links: { publicUrl: null },
      now: NOW,
    });
    expect(message.html).toContain("late &lt;script&gt;alert(1)&lt;/script&gt; &amp; co");
    expect(message.html).not.toContain("<script>");
  });

  it("send only critical portal pauses (not a pause by hand), and every kind the issue names", () => {
    expect(isSentAlert({ kind: "portal_paused", severity: "critical" })).toBe(true);
    expect(isSentAlert({ kind: "portal_paused", severity: "warning" })).toBe(false);
    for (const kind of ["batch_at_risk", "night_late", "site_changed_spike"]) expect(isSentAlert({ kind, severity: "warning" })).toBe(true);
    expect(isSentAlert({ kind: "something_else", severity: "critical" })).toBe(false);
  });

  it("derive stable ids from the dedupe key, and mask webhook paths", () => {
    expect(webhookIdFor("alert:x:opened:y")).toBe(webhookIdFor("alert:x:opened:y"));
    expect(webhookIdFor("alert:x:opened:y")).toMatch(/^msg_[0-9a-f]{32}$/);
    expect(emailMessageIdFor("k")).toMatch(/^<[0-9a-f]{32}@alerts\.nightshift>$/);
    expect(maskTarget("webhook", "https://hooks.slack.com/services/T0/B0/XyZsecret")).toBe("https://hooks.slack.com/…cret");
    expect(maskTarget("email", "ops@example.com")).toBe("ops@example.com");
  });
});
