// Set-up shared by the benchmarks that drive the TUI against an in-process lab (flood,
// tail-latency): the lab's credentials as an environment, the flow log format of an ENI, a record
// in that format, and the keys that open web-1's Rejects tab in a pty.
import {join} from 'node:path';
import {pathToFileURL} from 'node:url';
import {PtyApp, sleep} from './pty.mjs';

/** The v2 default format, for a log group the lab knows no format of. */
const DEFAULT_FORMAT = '${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status}';

/** A lab from dist/ with no simulated traffic, and the helpers to read its state. */
export async function startBenchLab(root) {
	const dist = (path) => pathToFileURL(join(root, 'dist', path)).href;
	const {startLab} = await import(dist('lab/lab.js'));
	const {eniFacts, coveringFlowLog} = await import(dist('lab/snapshot-state.js'));
	const lab = await startLab({simulate: false});
	/** The ENI's facts, the flow log covering it, and its log format's field names in order. */
	const flowTarget = (eniId) => {
		const eni = eniFacts(lab.state).get(eniId);
		const flowLog = coveringFlowLog(lab.state, eni);
		const fields = (lab.state.logs.groups.get(flowLog.LogGroupName)?.flowFormat ?? DEFAULT_FORMAT).trim().split(/\s+/).map((token) => token.slice(2, -1));
		return {eni, flowLog, fields};
	};
	return {lab, flowTarget};
}

/** One REJECT flow record in `fields` order; `values` overrides the defaults. */
export function rejectRecord(lab, eni, fields, values) {
	const all = {
		'version': '2', 'account-id': lab.accountId, 'interface-id': eni.id, 'dstaddr': eni.privateIps[0], 'protocol': '6', 'packets': '1', 'bytes': '40',
		'action': 'REJECT', 'log-status': 'OK', 'flow-direction': 'ingress', 'vpc-id': eni.vpcId ?? '-', 'subnet-id': eni.subnetId ?? '-', 'instance-id': eni.instanceId ?? '-',
		'tcp-flags': '2', 'type': 'IPv4', 'pkt-dstaddr': eni.privateIps[0],
		...values,
	};
	if (all['pkt-srcaddr'] === undefined) all['pkt-srcaddr'] = all.srcaddr;
	return fields.map((field) => all[field] ?? '-').join(' ');
}

/** The lab's credentials and region, and nothing of the user's AWS configuration (HOME is `home`). */
export function labEnv(lab, home) {
	return {
		HOME: home, XDG_STATE_HOME: home, AWS_ACCESS_KEY_ID: lab.credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: lab.credentials.secretAccessKey,
		AWS_REGION: lab.region, AWS_EC2_METADATA_DISABLED: 'true', AWS_CONFIG_FILE: join(home, 'none'), AWS_SHARED_CREDENTIALS_FILE: join(home, 'none'),
	};
}

/**
 * Starts `sgtui` live against the lab in a pty and opens web-1's Rejects tab; resolves once it
 * says "streaming". The pauses between keys let the filter and the list follow (a bench, not a test).
 */
export async function openWebRejects(root, lab, env) {
	const app = new PtyApp([process.execPath, join(root, 'dist/cli/sgtui.js'), '--endpoint-url', lab.endpoint, '--region', lab.region], {env});
	try {
		await app.waitFor('Network interfaces', 60_000);
		await app.settle();
		app.mark();
		app.send('/');
		await sleep(200);
		app.send('web-1');
		await sleep(300);
		app.send('\r');
		await sleep(500);
		app.send('\r');
		await app.waitFor('Security group', 20_000);
		await app.settle();
		app.mark();
		app.send('3');
		await app.waitFor('streaming', 30_000);
		return app;
	} catch (error) {
		await app.close();
		throw error;
	}
}
