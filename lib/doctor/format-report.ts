import type { Violation } from "../config/environments";
import type { DoctorReport } from "./types";

const MARK = { ok: "ok  ", warn: "WARN", fail: "FAIL", skip: "skip" } as const;

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/)) {
    if (line && line.length + word.length + 1 > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.length ? lines : [""];
}

/** The doctor's report as a terminal table: status, check, what was found, and the fix under it. */
export function formatDoctorReport(report: DoctorReport, width = 100): string {
  const labelWidth = Math.max(...report.checks.map((c) => c.label.length), 5);
  const textWidth = Math.max(40, width - labelWidth - 9);
  const out = [`Nightshift doctor — ${report.env} — ${report.checkedAt}`, ""];
  for (const check of report.checks) {
    const [first, ...rest] = wrap(check.sentence, textWidth);
    out.push(`${MARK[check.status]}  ${check.label.padEnd(labelWidth)}  ${first}`);
    for (const line of rest) out.push(`${" ".repeat(labelWidth + 8)}${line}`);
    if (check.fix && (check.status === "fail" || check.status === "warn")) for (const line of wrap(`Fix: ${check.fix}`, textWidth)) out.push(`${" ".repeat(labelWidth + 8)}${line}`);
  }
  const failed = report.checks.filter((c) => c.status === "fail").length;
  const warned = report.checks.filter((c) => c.status === "warn").length;
  out.push("", failed ? `${failed} check(s) failed, ${warned} warning(s).` : warned ? `All checks passed, ${warned} warning(s).` : "All checks passed.");
  return out.join("\n");
}

/** The parity diff as terminal text. */
export function formatViolations(params: { a: string; b: string; violations: Violation[]; notes: string[] }): string {
  const out = [`Parity of ${params.a} and ${params.b}`, ""];
  for (const note of params.notes) out.push(`note  ${note}`);
  if (params.notes.length) out.push("");
  if (params.violations.length === 0) {
    out.push("Parity holds: every \"identical\" and \"differ\" rule is kept.");
    return out.join("\n");
  }
  const width = Math.max(...params.violations.map((v) => v.rule.length));
  for (const v of params.violations) out.push(`FAIL  ${v.rule.padEnd(width)}  ${v.sentence}`);
  out.push("", `${params.violations.length} rule violation(s): parity is broken.`);
  return out.join("\n");
}
