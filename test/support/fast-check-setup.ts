// fast-check for every property test: a failing property's message carries its seed and shrink
// path (fast-check prints them: "{ seed: …, path: "…", endOnFailure: true }"), and FC_SEED (with
// FC_PATH for the shrunk case) replays exactly that run:
//   FC_SEED=-1234 FC_PATH="3:1:0" npx vitest run test/core/evaluator.property.test.ts
// FC_NUM_RUNS raises the number of cases for a deeper local search.
import fc from 'fast-check';

const seed = process.env.FC_SEED;
const path = process.env.FC_PATH;
const numRuns = process.env.FC_NUM_RUNS;

if (seed !== undefined && !/^-?\d+$/.test(seed)) throw new Error(`FC_SEED must be an integer (the seed a failure printed), got "${seed}"`);
if (numRuns !== undefined && !/^\d+$/.test(numRuns)) throw new Error(`FC_NUM_RUNS must be a whole number, got "${numRuns}"`);

fc.configureGlobal({
	...fc.readConfigureGlobal(),
	...(seed !== undefined ? {seed: Number(seed)} : {}),
	...(path ? {path} : {}),
	...(numRuns !== undefined ? {numRuns: Number(numRuns)} : {}),
	// Failures report the counterexample, the seed and the path even when a test catches and rethrows.
	verbose: fc.VerbosityLevel.Verbose,
});
