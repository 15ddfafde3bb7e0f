// One signal stops every AWS read of a command, and a command reads in parallel: the inventory's
// eight parts at once, each request holding a listener in the HTTP handler and another in the
// SDK's retry wait. Node warns past 10 listeners on one signal ("MaxListenersExceededWarning:
// Possible EventTarget memory leak"), a line on stderr beside sgtui's own; the bound here is
// what that parallelism needs, so a real leak still shows.
import {setMaxListeners} from 'node:events';

const LISTENERS = 64;

/** Lets `signal` carry one command's parallel reads without Node's warning; returns it. */
export function allowParallelReads(signal: AbortSignal): AbortSignal {
	setMaxListeners(LISTENERS, signal);
	return signal;
}

/** A controller whose signal may be shared by every read of one command. */
export function sharedAbortController(): AbortController {
	const controller = new AbortController();
	allowParallelReads(controller.signal);
	return controller;
}
