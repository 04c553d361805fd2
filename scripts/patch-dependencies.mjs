// Run by `npm install` / `npm ci` (postinstall): small, verified fixes to pinned dependencies whose
// upstream fix has not been released. Each patch names its upstream issue, applies only to the exact
// version it was written for, is idempotent, and fails the install loudly if the code it expects is
// not there (so an upgrade cannot silently drop it).
import { readFileSync, writeFileSync, existsSync } from "node:fs";
import path from "node:path";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const MARK = "nightshift patch";

const patches = [
  {
    // porsager/postgres#1154, #1208 (PRs #1168, #1176, #1209 unmerged): a write scheduled with
    // setImmediate runs after the connection closed and dereferences a null socket — an uncaught
    // TypeError that kills the process (seen in our PostgreSQL-restart test). Settle the pending
    // queries with CONNECTION_CLOSED instead, as the closed() path does.
    name: "postgres",
    version: "3.4.9",
    files: ["src/connection.js", "cjs/src/connection.js", "cf/src/connection.js"],
    find: "  function nextWrite(fn) {\n    const x = socket.write(chunk, fn)\n",
    replace:
      "  function nextWrite(fn) {\n" +
      `    if (!socket) { // ${MARK}: porsager/postgres#1208\n` +
      "      nextWriteTimer !== null && clearImmediate(nextWriteTimer)\n" +
      "      chunk = nextWriteTimer = null\n" +
      "      error(Errors.connection('CONNECTION_CLOSED', options, socket))\n" +
      "      return false\n" +
      "    }\n" +
      "    const x = socket.write(chunk, fn)\n",
  },
];

for (const patch of patches) {
  const dir = path.join(root, "node_modules", patch.name);
  if (!existsSync(dir)) continue;
  const { version } = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8"));
  if (version !== patch.version) {
    console.error(`patch-dependencies: ${patch.name} is ${version}, the patch is for ${patch.version}: check upstream and update scripts/patch-dependencies.mjs`);
    process.exit(1);
  }
  for (const file of patch.files) {
    const target = path.join(dir, file);
    const text = readFileSync(target, "utf8");
    if (text.includes(MARK)) continue;
    if (!text.includes(patch.find)) {
      console.error(`patch-dependencies: ${patch.name}/${file} does not contain the code the patch expects`);
      process.exit(1);
    }
    writeFileSync(target, text.replace(patch.find, patch.replace));
    console.log(`patch-dependencies: patched ${patch.name}/${file}`);
  }
}
