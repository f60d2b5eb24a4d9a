// rattler-conda.cjs - time rattler's simpleSolve (@conda-org/rattler, the npm
// package) on a channel served over HTTP, for bench/load-conda's figures.
//
//   node bench/rattler-conda.cjs RATTLER_CJS CHANNEL_URL[,CHANNEL_URL...] SPEC...
//
// (simpleSolve takes no virtual packages: bench/load-conda serves them as a
// channel of their own, the second URL.)
// Prints the wall time of each of two solves (each fetches and parses the
// channel's repodata again: simpleSolve keeps nothing) and the peak RSS.
const rattler = require(process.argv[2]);

(async () => {
  for (let run = 0; run < 2; run++) {
    const t0 = process.hrtime.bigint();
    try {
      const res = await rattler.simpleSolve(process.argv.slice(4), process.argv[3].split(","),
                                            ["linux-64", "noarch"], []);
      console.log(`rattler solve ${Number(process.hrtime.bigint() - t0) / 1e9} s  installs ${res.length}`);
    } catch (e) {
      console.log(`rattler ${Number(process.hrtime.bigint() - t0) / 1e9} s  error ${String(e).slice(0, 300)}`);
    }
  }
  console.log(`rattler peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`);
  // the fetches' kept-alive connections would hold the process open
  process.exit(0);
})();
