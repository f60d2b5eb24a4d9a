// rattler_solve.cjs - solve requests with rattler (the npm package
// @conda-org/rattler, WebAssembly), for tests/conda_agreement.py.
//
//   node rattler_solve.cjs RATTLER_CJS < {"channels": [URL...], "platforms": [...], "sets": [[SPEC...]...]}
//
// Prints a JSON array, one entry per set: {"packages": [[NAME, VERSION, BUILD]...]}
// or {"error": MESSAGE} when rattler finds no solution.
const rattler = require(process.argv[2]);

let input = "";
process.stdin.on("data", (d) => (input += d));
process.stdin.on("end", async () => {
  const job = JSON.parse(input);
  const out = [];
  for (const specs of job.sets) {
    try {
      const res = await rattler.simpleSolve(specs, job.channels, job.platforms, []);
      out.push({ packages: res.map((p) => [p.packageName, p.version, p.build]) });
    } catch (e) {
      out.push({ error: String(e) });
    }
  }
  process.stdout.write(JSON.stringify(out));
});
