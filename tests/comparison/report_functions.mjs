// Runs the report page's pure functions (report.js in Node's vm, no browser): reads
// {"fn": name, "args": [...]} per line on stdin, writes each result as a JSON line.
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import vm from "node:vm";

const context = vm.createContext({ URL });
vm.runInContext(readFileSync(process.argv[2], "utf8"), context);
const api = context.VitrineReport;
for await (const line of createInterface({ input: process.stdin })) {
  if (!line.trim()) continue;
  const { fn, args } = JSON.parse(line);
  process.stdout.write(`${JSON.stringify(api[fn](...args))}\n`);
}
