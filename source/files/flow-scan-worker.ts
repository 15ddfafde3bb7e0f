// Worker thread for summarizeFlowFile: takes byte ranges of a plain flow log file one at a time,
// scans them into one summary, and sends that summary back when told there is no more work.
// (Why threads and not processes: flow-scan-threads.ts.)
import {parentPort} from 'node:worker_threads';
import {FlowSummary} from '../core/flow-summary.js';
import {scanRangeJob, type WorkerReply, type WorkerRequest} from './flow-summarize.js';
import {FlowTupleTable} from './flow-tuple-table.js';
import {errorLine} from '../core/display-text.js';

if (!parentPort) throw new Error('flow-scan-worker runs as a worker thread');
const port = parentPort;

let summary: FlowSummary | null = null;
const tuples = new FlowTupleTable();
const reply = (message: WorkerReply) => port.postMessage(message);

// Progress in ~8 MiB steps: enough for a smooth bar, few messages.
let unreported = 0;
const onBytes = (count: number) => {
	unreported += count;
	if (unreported >= 8 * 1024 * 1024) {
		reply({type: 'progress', bytes: unreported});
		unreported = 0;
	}
};

// Jobs arrive one at a time (the next is sent when this one is done), so handling is sequential.
port.on('message', (message: WorkerRequest) => void handle(message));

async function handle(message: WorkerRequest): Promise<void> {
	try {
		if (message.type === 'job') {
			summary ??= new FlowSummary({actions: message.job.actions, byDirection: message.job.byDirection, eniAddresses: message.job.eniAddresses});
			const result = await scanRangeJob(message.job, summary, tuples, onBytes);
			reply({type: 'done', id: message.id, result});
		} else {
			if (unreported > 0) reply({type: 'progress', bytes: unreported});
			const done = summary ?? new FlowSummary({actions: message.actions, byDirection: message.byDirection, eniAddresses: message.eniAddresses});
			// The tuples go back as the table's typed arrays, merged into the parent's table: a
			// summary's rows would cost an object and strings per tuple on both sides, at the very
			// end of the run when everything else waits for them. `rows` holds only what the parser
			// decoded (lines the fast path left to it).
			reply({type: 'summary', totals: done.totals, rows: done.rows(), tuples: tuples.snapshot()});
		}
	} catch (error) {
		reply({type: 'error', message: errorLine(error)});
	}
}
