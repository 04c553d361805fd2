import { afterAll } from "vitest";
import { openResources } from "./resources";

afterAll(() => {
  const left = openResources();
  if (left.length > 0) throw new Error(`Test file left resources open: ${left.join(", ")}. Close them in afterAll/afterEach.`);
});
