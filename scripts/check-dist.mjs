// Rebuilds dist/ and fails when it differs from what is committed: the actions
// run the committed bundles, so a stale dist/ ships old code.
import { execFileSync } from "node:child_process";

execFileSync(process.execPath, ["scripts/build.mjs"], { stdio: "inherit" });
const status = execFileSync("git", ["status", "--porcelain", "--untracked-files=all", "--", "dist"], {
  encoding: "utf8",
});
if (status.trim()) {
  console.error(`dist/ does not match the sources. Run \`npm run build\` and commit dist/:\n${status}`);
  execFileSync("git", ["--no-pager", "diff", "--stat", "--", "dist"], { stdio: "inherit" });
  process.exit(1);
}
console.log("dist/ is up to date");
