import { describe, expect, it } from "vitest";
import { ARTIFACT_LINK_TTL_SECONDS, artifactFileName, artifactViewUrl, linkRefreshDelayMs, traceViewerUrl } from "@/lib/artifacts/artifact-links";

describe("artifactViewUrl", () => {
  it("adds the view switch to a relative signed link and keeps it relative", () => {
    expect(artifactViewUrl("/api/artifacts/runs/r/1/dom.html?expires=10&sig=abc")).toBe("/api/artifacts/runs/r/1/dom.html?expires=10&sig=abc&view=1");
  });

  it("adds it to an absolute link (NIGHTSHIFT_PUBLIC_URL set) once", () => {
    expect(artifactViewUrl("https://ns.example/api/artifacts/runs/r/1/dom.html?expires=10&sig=abc&view=1")).toBe("https://ns.example/api/artifacts/runs/r/1/dom.html?expires=10&sig=abc&view=1");
  });
});

describe("traceViewerUrl", () => {
  it("opens the served viewer on the absolute signed link, its query string encoded inside trace", () => {
    const url = traceViewerUrl("/api/artifacts/runs/r/1/trace.zip?expires=10&sig=a-b_c", "http://127.0.0.1:3000");
    expect(url).toBe("/trace-viewer/index.html?trace=http%3A%2F%2F127.0.0.1%3A3000%2Fapi%2Fartifacts%2Fruns%2Fr%2F1%2Ftrace.zip%3Fexpires%3D10%26sig%3Da-b_c");
    expect(new URL(url, "http://127.0.0.1:3000").searchParams.get("trace")).toBe("http://127.0.0.1:3000/api/artifacts/runs/r/1/trace.zip?expires=10&sig=a-b_c");
  });
});

describe("linkRefreshDelayMs", () => {
  it("renews links three minutes before the UI's 15-minute links expire", () => {
    expect(ARTIFACT_LINK_TTL_SECONDS.ui).toBe(900);
    expect(linkRefreshDelayMs(0, 0)).toBe(12 * 60_000);
    expect(linkRefreshDelayMs(0, 5 * 60_000)).toBe(7 * 60_000);
  });

  it("asks soon, never in a tight loop, when the data is already past it", () => {
    expect(linkRefreshDelayMs(0, 20 * 60_000)).toBe(30_000);
  });
});

describe("artifactFileName", () => {
  it("names a download as the artifact route does (the key without runs/, dashes for slashes)", () => {
    expect(artifactFileName("/api/artifacts/runs/3f2b1c4e-0000-4000-8000-000000000000/2/trace.zip?expires=1&sig=x")).toBe("3f2b1c4e-0000-4000-8000-000000000000-2-trace.zip");
    expect(artifactFileName("https://ns.example/api/artifacts/runs/r/1/dom.html?expires=1&sig=x&view=1")).toBe("r-1-dom.html");
  });
});
