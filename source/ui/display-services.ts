// Where outside data enters the UI's state: every answer of the services (inventory, host
// captures, audit findings, check results, flow records, status and error lines, prompts' host
// names) is passed through `displayCopy`, so no component ever holds a string that could drive
// the terminal. AWS ids, CIDRs and addresses have no such characters, so the copy evaluates
// exactly like the original; only names, tags, descriptions and process names can change.
import {displayCopy} from '../core/display-text.js';
import {displayCheckResult} from '../core/check-display.js';
import type {ProbePrompts, RejectSink, SgtuiServices} from './services.js';

const wrapped = new WeakMap<SgtuiServices, SgtuiServices>();
const outers = new WeakSet<SgtuiServices>();

export function displayServices(inner: SgtuiServices): SgtuiServices {
	const known = wrapped.get(inner);
	if (known) return known;
	if (outers.has(inner)) return inner;
	const outer: SgtuiServices = {
		get mode() {
			return displayCopy(inner.mode);
		},
		loadInventory: async (progress) => displayCopy(await inner.loadInventory((message) => progress(displayCopy(message)))),
		inventoryWarnings: inner.inventoryWarnings ? () => displayCopy(inner.inventoryWarnings!()) : undefined,
		knownHosts: () => displayCopy(inner.knownHosts()),
		audit: (inventory, hosts) => displayCopy(inner.audit(inventory, hosts)),
		probeHost: async (instanceId, prompts) => displayCopy(await inner.probeHost(instanceId, displayPrompts(prompts))),
		check: (input) => displayCheckResult(inner.check(input)),
		flowCoverage: async (inventory, eniId) => displayCopy(await inner.flowCoverage(inventory, eniId)),
		subscribeRejects: (eniIds, options, sink) => inner.subscribeRejects(eniIds, options, displaySink(sink)),
		saveReport: async (report) => displayCopy(await inner.saveReport(report)),
		saveFix: inner.saveFix ? async (fix) => displayCopy(await inner.saveFix!(fix)) : undefined,
		close: () => inner.close(),
	};
	wrapped.set(inner, outer);
	outers.add(outer);
	return outer;
}

function displaySink(sink: RejectSink): RejectSink {
	return {
		onRecords: (records) => sink.onRecords(displayCopy(records)),
		onStatus: (status) => sink.onStatus(displayCopy(status)),
	};
}

function displayPrompts(prompts: ProbePrompts): ProbePrompts {
	// Every question a probe may ask carries outside text (host names, paths): all of them.
	const wrapped = {} as ProbePrompts;
	for (const key of Object.keys(prompts) as Array<keyof ProbePrompts>) {
		// Called below with prompts as `this`.
		// eslint-disable-next-line @typescript-eslint/unbound-method
		const ask = prompts[key] as (question: unknown) => Promise<unknown>;
		(wrapped as unknown as Record<string, unknown>)[key] = (question: unknown) => ask.call(prompts, displayCopy(question));
	}
	return wrapped;
}
