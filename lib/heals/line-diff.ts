// A line diff of two accessibility snapshots (Playwright ariaSnapshot YAML), shaped for a
// side-by-side view: unchanged lines side by side, a run of removed lines beside the run of added
// lines that replaced it. Pure, for the review queue and the failure card.

export type DiffSide = { text: string; kind: "same" | "removed" | "added"; line: number } | null;
export interface DiffRow {
  before: DiffSide;
  after: DiffSide;
}

export interface LineDiff {
  rows: DiffRow[];
  added: number;
  removed: number;
}

/** Snapshots can be long; beyond this many lines per side the diff compares prefixes/suffixes only and shows the middle as replaced. */
const MAX_LCS_LINES = 1_500;

function lcsTable(a: readonly string[], b: readonly string[]): Uint16Array[] {
  const table = Array.from({ length: a.length + 1 }, () => new Uint16Array(b.length + 1));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      table[i]![j] = a[i] === b[j] ? table[i + 1]![j + 1]! + 1 : Math.max(table[i + 1]![j]!, table[i]![j + 1]!);
    }
  }
  return table;
}

/** Diffs `before` against `after` line by line (trailing whitespace ignored); null `before` shows everything as added. */
export function diffLines(before: string | null, after: string | null): LineDiff {
  const a = (before ?? "").replace(/\s+$/, "").split("\n").map((l) => l.replace(/\s+$/, ""));
  const b = (after ?? "").replace(/\s+$/, "").split("\n").map((l) => l.replace(/\s+$/, ""));
  const left = before === null || before.trim() === "" ? [] : a;
  const right = after === null || after.trim() === "" ? [] : b;

  type Op = { op: "same"; i: number; j: number } | { op: "removed"; i: number } | { op: "added"; j: number };
  const ops: Op[] = [];
  if (left.length <= MAX_LCS_LINES && right.length <= MAX_LCS_LINES) {
    const table = lcsTable(left, right);
    let i = 0;
    let j = 0;
    while (i < left.length && j < right.length) {
      if (left[i] === right[j]) ops.push({ op: "same", i: i++, j: j++ });
      else if (table[i + 1]![j]! >= table[i]![j + 1]!) ops.push({ op: "removed", i: i++ });
      else ops.push({ op: "added", j: j++ });
    }
    while (i < left.length) ops.push({ op: "removed", i: i++ });
    while (j < right.length) ops.push({ op: "added", j: j++ });
  } else {
    let start = 0;
    while (start < left.length && start < right.length && left[start] === right[start]) ops.push({ op: "same", i: start, j: start++ });
    let endA = left.length;
    let endB = right.length;
    const tail: Op[] = [];
    while (endA > start && endB > start && left[endA - 1] === right[endB - 1]) tail.unshift({ op: "same", i: --endA, j: --endB });
    for (let i = start; i < endA; i++) ops.push({ op: "removed", i });
    for (let j = start; j < endB; j++) ops.push({ op: "added", j });
    ops.push(...tail);
  }

  const rows: DiffRow[] = [];
  let removed: number[] = [];
  let added: number[] = [];
  const flush = () => {
    for (let k = 0; k < Math.max(removed.length, added.length); k++) {
      const i = removed[k];
      const j = added[k];
      rows.push({ before: i === undefined ? null : { text: left[i]!, kind: "removed", line: i + 1 }, after: j === undefined ? null : { text: right[j]!, kind: "added", line: j + 1 } });
    }
    removed = [];
    added = [];
  };
  let addedCount = 0;
  let removedCount = 0;
  for (const op of ops) {
    if (op.op === "same") {
      flush();
      rows.push({ before: { text: left[op.i]!, kind: "same", line: op.i + 1 }, after: { text: right[op.j]!, kind: "same", line: op.j + 1 } });
    } else if (op.op === "removed") {
      removed.push(op.i);
      removedCount++;
    } else {
      added.push(op.j);
      addedCount++;
    }
  }
  flush();
  return { rows, added: addedCount, removed: removedCount };
}

/** Keeps changed rows and `context` unchanged rows around them; the rest become one `hidden` marker each. */
export function foldUnchanged(rows: readonly DiffRow[], context = 3): Array<DiffRow | { hidden: number }> {
  const changed = rows.map((r) => r.before?.kind !== "same" || r.after?.kind !== "same");
  const keep = rows.map((_, k) => {
    for (let d = -context; d <= context; d++) if (changed[k + d]) return true;
    return false;
  });
  const out: Array<DiffRow | { hidden: number }> = [];
  let hidden = 0;
  rows.forEach((row, k) => {
    if (keep[k]) {
      if (hidden > 0) out.push({ hidden });
      hidden = 0;
      out.push(row);
    } else hidden++;
  });
  if (hidden > 0) out.push({ hidden });
  return out;
}
