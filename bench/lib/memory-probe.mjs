// Preloaded into the TUI by the typing bench only (node --expose-gc --import this file): on SIGUSR2
// it runs a full garbage collection and appends one JSON line of process.memoryUsage() to
// $SGTUI_MEMORY_PROBE_OUT. RSS alone mixes garbage not yet collected, heap the GC keeps for later
// and freshly compiled code; the heap used after a full GC is what the process really holds.
import {appendFileSync} from 'node:fs';

process.on('SIGUSR2', () => {
	globalThis.gc?.();
	const usage = process.memoryUsage();
	appendFileSync(process.env.SGTUI_MEMORY_PROBE_OUT, `${JSON.stringify({rss: usage.rss, heapUsed: usage.heapUsed, external: usage.external, measures: performance.getEntriesByType('measure').length})}\n`);
});
