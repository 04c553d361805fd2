import { describe, expect, it } from "vitest";
import { diffLines, foldUnchanged } from "@/lib/heals/line-diff";

describe("diffLines", () => {
  it("puts a replaced line beside its replacement and keeps unchanged lines side by side", () => {
    const diff = diffLines('- form "Claim":\n  - textbox "VIN"\n  - button "Submit claim"', '- form "Claim":\n  - textbox "VIN"\n  - button "Send claim"\n  - link "Help"');
    expect(diff).toMatchObject({ added: 2, removed: 1 });
    expect(diff.rows.map((r) => [r.before?.kind ?? null, r.after?.kind ?? null])).toEqual([
      ["same", "same"],
      ["same", "same"],
      ["removed", "added"],
      [null, "added"],
    ]);
    expect(diff.rows[2]).toEqual({ before: { text: '  - button "Submit claim"', kind: "removed", line: 3 }, after: { text: '  - button "Send claim"', kind: "added", line: 3 } });
  });

  it("shows everything as added when there is no last good snapshot, and nothing changed for equal ones", () => {
    expect(diffLines(null, "a\nb")).toMatchObject({ added: 2, removed: 0 });
    expect(diffLines("a\nb\n", "a\nb")).toMatchObject({ added: 0, removed: 0 });
  });
});

describe("foldUnchanged", () => {
  it("folds long unchanged stretches into a count, keeping context around changes", () => {
    const before = Array.from({ length: 20 }, (_, k) => `line ${k}`).join("\n");
    const after = before.replace("line 10", "line ten");
    const folded = foldUnchanged(diffLines(before, after).rows, 2);
    expect(folded[0]).toEqual({ hidden: 8 });
    expect(folded.at(-1)).toEqual({ hidden: 7 });
    expect(folded).toHaveLength(2 + 5);
  });
});
