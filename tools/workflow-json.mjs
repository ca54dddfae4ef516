// Prints .github/workflows/*.yml as one JSON object { "<file name>": <parsed workflow> } for the test suite
// (Vigor.Tests/Delivery/WorkflowTests.cs), which has no YAML parser of its own. Exits 1 when a file does not parse.
//   node tools/workflow-json.mjs [repo root]
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { parseDocument } from "yaml";

const root = process.argv[2] ?? process.cwd();
const dir = join(root, ".github", "workflows");
const out = {};
let failed = false;
for (const file of readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort()) {
  const doc = parseDocument(readFileSync(join(dir, file), "utf8"), { uniqueKeys: true });
  if (doc.errors.length) {
    failed = true;
    for (const e of doc.errors) console.error(`${file}: ${e.message.split("\n")[0]}`);
    continue;
  }
  out[file] = doc.toJS();
}
process.stdout.write(JSON.stringify(out));
process.exit(failed ? 1 : 0);
