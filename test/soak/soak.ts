// `npm run soak -- --cases N --concurrency C --faults <mix> --chaos <plan> [--night [--deadline-minutes M]]`: a whole batch against
// the sandbox with faults and chaos; writes report.json, report.md and report.html; exits 1 when
// an invariant or the greenlight fails.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { createLogger } from "@/lib/log";
import { freePort } from "../support/free-port";
import { renderHtml, renderMarkdown } from "./report";
import { parseChaos, parseFaults } from "./options";
import { runSoak } from "./run-soak";

const { values } = parseArgs({
  options: {
    cases: { type: "string", default: "1000" },
    concurrency: { type: "string", default: "2" },
    faults: { type: "string", default: "default" },
    chaos: { type: "string", default: "default" },
    seed: { type: "string", default: "1" },
    out: { type: "string" },
    /** 0 = a free port (so a soak never collides with another one, or with CI). */
    "pg-port": { type: "string", default: "0" },
    "timeout-minutes": { type: "string", default: "80" },
    /** greenlight: invariants + fail rate < 3 % + p95 < 5 min; invariants: lost/duplicate checks only (short CI runs, where one reject is already 1.7 %). */
    gate: { type: "string", default: "greenlight" },
    /** A night: the schedule starts the batch a minute from now; the night must settle within this many minutes of its slot. */
    night: { type: "boolean", default: false },
    "deadline-minutes": { type: "string" },
  },
});

function positiveInt(name: string, raw: string | undefined): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive whole number (got ${JSON.stringify(raw)})`);
  return value;
}

const log = createLogger({ level: "info", name: "soak" });
try {
  if (values.gate !== "greenlight" && values.gate !== "invariants") throw new Error(`--gate must be "greenlight" or "invariants" (got ${JSON.stringify(values.gate)})`);
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const outDir = values.out ?? path.join(".nightshift", "soak", stamp);
  const report = await runSoak(
    {
      cases: positiveInt("cases", values.cases),
      concurrency: positiveInt("concurrency", values.concurrency),
      faults: parseFaults(values.faults),
      chaos: parseChaos(values.chaos),
      seed: positiveInt("seed", values.seed),
      outDir,
      pgPort: values["pg-port"] === "0" ? await freePort() : positiveInt("pg-port", values["pg-port"]),
      timeoutMinutes: positiveInt("timeout-minutes", values["timeout-minutes"]),
      // Default deadline: the 1,000-case soak's measured pace (≈ 20 cases/min) with 50 % headroom.
      night: values.night ? { deadlineMinutes: values["deadline-minutes"] ? positiveInt("deadline-minutes", values["deadline-minutes"]) : Math.max(10, Math.ceil((positiveInt("cases", values.cases) / 20) * 1.5)) } : null,
    },
    log,
  );
  writeFileSync(path.join(outDir, "report.json"), JSON.stringify(report, null, 2));
  writeFileSync(path.join(outDir, "report.md"), renderMarkdown(report));
  writeFileSync(path.join(outDir, "report.html"), renderHtml(report));
  process.stdout.write(`\n${renderMarkdown(report)}\nReport: ${path.join(outDir, "report.md")}\n`);
  const gate = values.gate === "invariants" ? report.greenlight.invariantsHold : report.greenlight.passed;
  process.stdout.write(`Gate (${values.gate}): ${gate ? "passed" : "FAILED"}\n`);
  process.exit(gate ? 0 : 1);
} catch (error) {
  log.fatal(error instanceof Error ? error.message : String(error));
  process.exit(2);
}

