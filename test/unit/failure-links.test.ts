import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createArtifactStore } from "@/lib/artifacts/create-artifact-store";
import { toFailureObject } from "@/lib/artifacts/failure-links";
import { ARTIFACT_LINK_TTL_SECONDS } from "@/lib/artifacts/signed-urls";
import type { StoredFailure } from "@/lib/domain/types";

const runId = "3f2b1c4e-0000-4000-8000-000000000000";
const now = new Date("2026-12-01T02:00:00Z");
const store = createArtifactStore(
  { artifactsDir: mkdtempSync(path.join(os.tmpdir(), "artifacts-")), artifactLinks: { secret: "test-artifact-url-secret-0123456789abcdef", publicBaseUrl: "http://127.0.0.1:3000" } },
  { now: () => now },
);

const stored: StoredFailure = {
  reason: "Arden Motors refused the claim: Invalid VIN.",
  errorClass: "portal_rejected",
  code: "field_invalid",
  lastGoodStep: "fill",
  failingStep: "submit",
  attempts: [{ number: 1, status: "failed", errorClass: "portal_rejected", code: "field_invalid", startedAt: "2026-12-01T01:59:00.000Z", finishedAt: "2026-12-01T02:00:00.000Z" }],
  evidence: { screenshot: `runs/${runId}/1/failure.png`, dom: null, trace: `runs/${runId}/1/trace.zip` },
  portalUrl: "http://127.0.0.1:4010/portals/arden",
  fingerprint: "arden:submit:field_invalid",
  nextAction: "Fix the VIN in the CRM.",
};

describe("toFailureObject", () => {
  it("keeps the stored failure and turns its evidence keys into signed links", async () => {
    const failure = await toFailureObject(stored, store, { ttlSeconds: ARTIFACT_LINK_TTL_SECONDS.crmNote });
    const { evidence: _evidence, ...rest } = stored;
    expect(failure).toMatchObject(rest);
    expect(failure).not.toHaveProperty("evidence");
    expect(failure.domSnapshotUrl).toBeNull();
    const expires = now.getTime() / 1000 + ARTIFACT_LINK_TTL_SECONDS.crmNote;
    expect(failure.screenshotUrl).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:3000/api/artifacts/runs/${runId}/1/failure\\.png\\?expires=${expires}&sig=`));
    expect(failure.traceUrl).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:3000/api/artifacts/runs/${runId}/1/trace\\.zip\\?expires=${expires}&sig=`));
  });
});
