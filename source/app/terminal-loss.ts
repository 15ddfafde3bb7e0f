// The terminal under the UI can vanish: the window closed, `tmux kill-session`, an ssh connection
// dropped. Linux then hangs the tty up (tty_io.c, __tty_hangup): the session leader gets SIGHUP,
// reads return end of file and every write fails with EIO. Node reports a write error nobody
// listens for as an uncaught exception (a `write EIO` stack trace), and on its way out Node 20
// asserts that restoring the terminal's modes worked (ResetStdio, node.cc), which on a tty that is
// gone aborts with a native stack (fixed only in newer Node: nodejs/node#58200).
//
// So: every sign of a lost terminal (the hangup, end of input, a failed write) is one event that
// quits the UI; once it has shut down (lab stopped, demo files removed), the process dies of the
// hangup it was sent — status 129 in a shell, what any program killed with its terminal reports,
// and no exit handler left to touch the dead tty.

export interface TerminalLoss {
	/** True once the terminal has been seen to go away. */
	readonly lost: boolean;
	/** Ends the process as a hangup would: no exit handlers, nothing more written to the terminal. */
	exitLikeHangup(): never;
}

export interface TerminalStreams {
	stdin: NodeJS.ReadStream;
	stdout: NodeJS.WriteStream;
	stderr: NodeJS.WriteStream;
}

/** Calls `onLoss` once, the first time the terminal behind `streams` is seen to go away. */
export function watchTerminalLoss(onLoss: () => void, streams: TerminalStreams = process): TerminalLoss {
	let lost = false;
	const lose = () => {
		if (lost) return;
		lost = true;
		onLoss();
	};
	const {stdin, stdout, stderr} = streams;
	// The listeners stay for the rest of the process. Errors: EIO mostly; EPIPE, ENXIO or a write
	// after the stream was destroyed are the same news, and any error on the terminal's streams
	// leaves a full-screen UI nothing to draw on; ink and the exit path still write after the UI is
	// gone, and an 'error' nobody listens for is a crash.
	for (const stream of [stdin, stdout, stderr]) stream.on('error', lose);
	// A hung-up tty reads as end of file; in raw mode the user cannot produce one (ctrl-D is a key).
	stdin.on('end', lose);
	// More than one may come: tmux signals the pane's process group, then the kernel's hangup
	// signals the session leader. Without a listener the second would end the process by default
	// in the middle of shutting the lab down.
	process.on('SIGHUP', lose);
	return {
		get lost() {
			return lost;
		},
		exitLikeHangup(): never {
			// With no listener left, Node puts SIGHUP back to its default action, so the kill below
			// ends the process at once, as the kernel's hangup would have.
			process.removeAllListeners('SIGHUP');
			process.kill(process.pid, 'SIGHUP');
			// POSIX delivers an unblocked signal sent to oneself before kill() returns; this line is
			// for a SIGHUP somehow blocked.
			process.exit(129);
		},
	};
}
