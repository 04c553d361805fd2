import { describe, expect, it } from "vitest";
import { ACRONYM_SIMILARITY, PREFIX_WORD_SIMILARITY, STEM_WORD_SIMILARITY, identifierSimilarity, identifierTokens, normaliseText, softDice, textSimilarity, wordSimilarity } from "@/lib/healing";

describe("normalising names", () => {
  it("drops case, accents, punctuation, required markers and extra spaces", () => {
    expect(normaliseText("  Date  of Failure * ")).toBe("date of failure");
    expect(normaliseText("Kilométrage (required)")).toBe("kilometrage");
    expect(normaliseText("Don’t show again")).toBe("dont show again");
    expect(normaliseText(null)).toBe("");
  });

  it("splits identifiers in any case style", () => {
    expect(identifierTokens("submitClaim")).toEqual(["submit", "claim"]);
    expect(identifierTokens("submit-claim")).toEqual(["submit", "claim"]);
    expect(identifierTokens("submit_claim")).toEqual(["submit", "claim"]);
    expect(identifierSimilarity("customer-name", "customerName")).toBe(1);
    expect(identifierSimilarity("vin", "vehicle-id")).toBe(0);
  });
});

describe("text similarity", () => {
  it("is 1 for the same text and the Dice coefficient of meaningful words otherwise", () => {
    expect(textSimilarity("Submit claim", "submit  CLAIM")).toBe(1);
    expect(textSimilarity("Submit claim", "Lodge claim")).toBe(0.5);
    expect(textSimilarity("Date of failure", "Failure date")).toBe(1);
    expect(textSimilarity("Notes", "VIN")).toBe(0);
  });

  it("recognises an acronym of the other text's words", () => {
    expect(textSimilarity("VIN", "Vehicle identification number")).toBe(ACRONYM_SIMILARITY);
    expect(textSimilarity("Date of birth", "DOB")).toBe(ACRONYM_SIMILARITY);
    expect(textSimilarity("VIN", "Vehicle number")).toBe(0);
    expect(textSimilarity("V", "Vehicle")).toBe(0);
  });
});

describe("partial word matches", () => {
  it("credit a word that starts the other and a shared stem, but not a short or unrelated one", () => {
    expect(wordSimilarity("user", "username")).toBe(PREFIX_WORD_SIMILARITY);
    expect(wordSimilarity("password", "passcode")).toBe(STEM_WORD_SIMILARITY);
    expect(wordSimilarity("id", "identifier")).toBe(0);
    expect(wordSimilarity("date", "data")).toBe(0);
    expect(wordSimilarity("vin", "notes")).toBe(0);
  });

  it("bring relabelled login fields close without making them equal", () => {
    expect(textSimilarity("Username", "User ID")).toBeGreaterThan(0.5);
    expect(textSimilarity("Username", "User ID")).toBeLessThan(1);
    expect(textSimilarity("Password", "Passcode")).toBe(STEM_WORD_SIMILARITY);
    expect(identifierSimilarity("username", "user_id")).toBeGreaterThan(0.5);
  });

  it("read common UI verbs as synonyms (sign in = log in, submit = send, search = look up)", () => {
    expect(textSimilarity("Sign in", "Log in")).toBe(1);
    expect(textSimilarity("Submit claim", "Send claim")).toBe(1);
    expect(textSimilarity("Search", "Look up")).toBe(1);
    expect(textSimilarity("Sign in", "Sign out")).toBe(0);
  });

  it("treat words written together or apart as the same, and equal plain Dice on exact words", () => {
    expect(textSimilarity("User name", "Username")).toBe(1);
    expect(softDice(["submit", "claim"], ["send", "claim"])).toBe(0.5);
  });
});
