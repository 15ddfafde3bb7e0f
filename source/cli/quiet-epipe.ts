// `sgtui audit | head -1`: the reader going away is the user's choice, not an error. Without an
// 'error' listener Node reports the EPIPE of a closed pipe as an uncaught exception (a stack trace).
// The command still runs to its end, so the exit code stays the verdict's (check: 1 = not reachable).

import {errorLine} from '../core/display-text.js';

const guarded = new WeakSet<NodeJS.WritableStream>();

/** Ignores writes to `stream` once its reader has gone away; other write errors are one line, exit 3. */
export function ignoreClosedPipe(stream: NodeJS.WritableStream = process.stdout): void {
	if (guarded.has(stream)) return;
	guarded.add(stream);
	stream.on('error', (error: NodeJS.ErrnoException) => {
		if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') return;
		process.stderr.write(`sgtui: cannot write output: ${errorLine(error)}\n`);
		process.exit(3);
	});
}
