import { describe, expect, it } from "vitest";
import { controlOutline, pageFingerprint, stripValues } from "@/lib/healing/page-state";

const FORM = `- main:
  - heading "Instrument CI-4821-0093" [level=1]
  - textbox "Case reference": NS-2026-00123
  - combobox "Report type":
    - option "Incident" [selected]
  - link "CI-4821-0093"
  - button "Review report"`;

describe("page state", () => {
  it("strips typed and selected values but keeps the structure", () => {
    const stripped = stripValues(FORM);
    expect(stripped).not.toContain("NS-2026-00123");
    expect(stripped).toContain('textbox "Case reference"');
    expect(stripped).toContain('button "Review report"');
  });

  it("outlines the controls in order, digits written as #, without headings or dialog contents", () => {
    const withDialog = `${FORM}\n- dialog "Planned maintenance":\n  - button "Got it"`;
    expect(controlOutline(withDialog)).toEqual(['textbox "Case reference"', 'combobox "Report type"', 'link "CI-#-#"', 'button "Review report"']);
  });

  it("gives every case on the same page design the same fingerprint, and another design another", () => {
    const otherCase = FORM.replace(/CI-4821-0093/g, "CI-7310-0552").replace("NS-2026-00123", "NS-2026-00999");
    expect(pageFingerprint(otherCase)).toBe(pageFingerprint(FORM));
    expect(pageFingerprint(FORM.replace('button "Review report"', 'button "Prepare report"'))).not.toBe(pageFingerprint(FORM));
    expect(pageFingerprint(FORM)).toMatch(/^[0-9a-f]{16}$/);
  });
});
