import { describe, expect, it } from "vitest";
import { chooseDismissButton, dismissRank, driftsToOtherAction, isDestructiveName } from "@/lib/healing";

describe("the destructive-action deny-list", () => {
  it.each(["Delete", "Delete my data", "Remove vehicle", "Withdraw claim", "Withdrawal of filing", "Cancel submission", "Cancel my claim", "Discard changes", "Sign out", "Log out", "Logout", "Sign in again", "Unsubscribe", "Revoke access", "Revocation", "Erase everything", "Reset form", "Clear all", "Start over", "Close my account", "End session", "DELETE  MY  DATA!", "Permanently hide this"])(
    "refuses %j",
    (name) => expect(isDestructiveName(name)).toBe(true),
  );

  it.each(["Close", "OK", "Got it", "I understand", "Accept all cookies", "Continue session", "Submit claim", "Cancel", "Remind me later", "×", ""])("lets %j through", (name) => {
    expect(isDestructiveName(name)).toBe(false);
  });
});

describe("drifting to another action", () => {
  it("flags a destructive look-alike of a non-destructive target", () => {
    expect(driftsToOtherAction("Submit claim", "Withdraw claim")).toBe(true);
  });

  it("flags a plain cancel turning into cancelling a request", () => {
    expect(driftsToOtherAction("Cancel", "Cancel request")).toBe(true);
  });

  it("flags cancel, back, clear and reject when the target is none of those", () => {
    for (const name of ["Cancel", "Back", "Clear", "Reject"]) expect(driftsToOtherAction("Submit claim", name)).toBe(true);
  });

  it("lets a target heal to a renamed control of the same action", () => {
    expect(driftsToOtherAction("Submit claim", "Send claim")).toBe(false);
    expect(driftsToOtherAction("Back", "Back to claims")).toBe(false);
    expect(driftsToOtherAction("Delete draft", "Delete this draft")).toBe(false);
  });
});

describe("choosing the overlay button to press", () => {
  it("ranks close over acknowledge over accept over a polite no", () => {
    expect(dismissRank("Close")).toBe(0);
    expect(dismissRank("×")).toBe(0);
    expect(dismissRank("OK")).toBe(1);
    expect(dismissRank("I understand")).toBe(1);
    expect(dismissRank("Got it!")).toBe(1);
    expect(dismissRank("Accept all cookies")).toBe(2);
    expect(dismissRank("Continue session")).toBe(2);
    expect(dismissRank("No thanks")).toBe(3);
    expect(dismissRank("Take the survey")).toBeNull();
  });

  it("presses \"I understand\", never \"Delete my data\"", () => {
    expect(chooseDismissButton(["Delete my data", "I understand"])).toEqual({ index: 1, name: "I understand", rank: 1, refused: ["Delete my data"] });
  });

  it("never presses a destructive button even when it also says OK or continue", () => {
    expect(chooseDismissButton(["OK, delete my data", "Continue and withdraw claim"])).toEqual({ index: null, name: null, rank: null, refused: ["OK, delete my data", "Continue and withdraw claim"] });
  });

  it("prefers the best rank, and the first in page order on a tie", () => {
    expect(chooseDismissButton(["Accept all cookies", "Reject non-essential", "Close"]).name).toBe("Close");
    expect(chooseDismissButton(["OK", "Got it"]).index).toBe(0);
  });

  it("chooses nothing when no button is a close or acknowledge one", () => {
    expect(chooseDismissButton(["Take the survey", "Learn more"]).index).toBeNull();
    expect(chooseDismissButton([]).index).toBeNull();
  });

  it("chooses a safe button on the sandbox's own pop-ups without knowing them", () => {
    // sandbox/portals/layout.ts: session expiry, survey, cookie wall.
    expect(chooseDismissButton(["Sign in again", "Continue session"])).toMatchObject({ name: "Continue session", refused: ["Sign in again"] });
    expect(chooseDismissButton(["No thanks", "Take the survey"]).name).toBe("No thanks");
    expect(chooseDismissButton(["Reject non-essential", "Accept all cookies"]).name).toBe("Accept all cookies");
  });
});
