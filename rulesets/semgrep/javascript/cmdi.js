// Test cases for cmdi.yaml (annotations as in semgrep --test).
const cp = require("child_process");
const { execSync, spawn } = require("child_process");
import { exec } from "node:child_process";

function run(req, dir) {
  // ruleid: javascript.cmdi.shell-non-constant-command
  cp.exec("ls " + dir);
  // ruleid: javascript.cmdi.shell-non-constant-command
  execSync(`git log ${req.query.ref}`);
  // ruleid: javascript.cmdi.shell-non-constant-command
  exec(req.body.cmd, (err, out) => {});
  // ruleid: javascript.cmdi.shell-non-constant-command
  require("child_process").execSync(dir);
  // ok: javascript.cmdi.shell-non-constant-command
  cp.exec("ls -l");
  const LIST = "ls -la";
  // ok: javascript.cmdi.shell-non-constant-command
  execSync(LIST);
  // ok: javascript.cmdi.shell-non-constant-command
  cp.execFile("ls", [dir]);
  // ok: javascript.cmdi.shell-non-constant-command
  /ls/.exec(dir);

  // ruleid: javascript.cmdi.spawn-with-shell
  spawn("grep", [req.query.q, "file.txt"], { shell: true });
  // ruleid: javascript.cmdi.spawn-with-shell
  cp.execFile(dir, { shell: "/bin/sh" });
  // ok: javascript.cmdi.spawn-with-shell
  spawn("grep", [req.query.q, "file.txt"]);
  // ok: javascript.cmdi.spawn-with-shell
  spawn("grep", [req.query.q], { shell: false });
  // ok: javascript.cmdi.spawn-with-shell
  cp.spawn("make", ["all"], { shell: true });
}

// A function taken off the module and bound to a name of its own.
var execAlias = require("child_process").exec;
const runSync = require("node:child_process").execSync;
function aliased(iface, dir) {
  // ruleid: javascript.cmdi.shell-non-constant-command
  execAlias("ifconfig " + iface, () => {});
  // ruleid: javascript.cmdi.shell-non-constant-command
  runSync(`ls ${dir}`);
  // ok: javascript.cmdi.shell-non-constant-command
  execAlias("ifconfig -a", () => {});
}
const execFileAlias = require("child_process").execFile;
function noShell(cmd) {
  // ok: javascript.cmdi.shell-non-constant-command
  execFileAlias(cmd, ["-a"]);
}

// Argument injection into git: an operand that may start with "-" and no "--" before it.
function gitArgs(req, url, dir, branch, customArgs) {
  // ruleid: javascript.cmdi.git-argument-injection
  cp.execFile("git", ["clone", url, dir]);
  // ruleid: javascript.cmdi.git-argument-injection
  spawn("git", ["fetch", "origin", req.query.ref]);
  // ruleid: javascript.cmdi.git-argument-injection
  execa("git", ["log", `--author=${branch}`]);
  // ruleid: javascript.cmdi.git-argument-injection
  const commands = ["clone", ...customArgs];
  // ok: javascript.cmdi.git-argument-injection
  cp.execFile("git", ["clone", "--", url, dir]);
  // ok: javascript.cmdi.git-argument-injection
  spawn("git", ["checkout", "-b", "main"]);
  // ok: javascript.cmdi.git-argument-injection
  spawn("hg", ["clone", url]);
  // ok: javascript.cmdi.git-argument-injection
  const queue = ["push", req.body.item];
  // ok: javascript.cmdi.git-argument-injection
  const fixed = ["clone", "https://example.com/repo.git"];
  // ok: javascript.cmdi.git-argument-injection
  fixed.push("--depth=1");
  // ruleid: javascript.cmdi.git-argument-injection
  fixed.push(url);
  const safe = ["clone", "--"];
  // ok: javascript.cmdi.git-argument-injection
  safe.push(url);
}

function gitChecked(repo, ref) {
  if (ref.startsWith("-")) throw new Error("not a ref");
  // ok: javascript.cmdi.git-argument-injection
  spawn("git", ["fetch", "origin", ref]);
  const commands = ["clone"];
  // ok: javascript.cmdi.git-argument-injection
  commands.push(repo);
  const banned = commands.find((c) => /^--upload-pack/.test(c));
  if (banned) throw new Error("refused");
  return commands;
}
