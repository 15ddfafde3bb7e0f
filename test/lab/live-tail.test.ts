import {afterEach, describe, expect, it} from 'vitest';
import {StartLiveTailCommand, type StartLiveTailResponseStream} from '@aws-sdk/client-cloudwatch-logs';
import {AuthorizeSecurityGroupIngressCommand} from '@aws-sdk/client-ec2';
import {startLab, type Lab, type LabOptions} from '../../source/lab/lab.js';
import {FIXTURE, IDS, ec2Client, expectAwsError, logsClient} from './lab-helpers.js';

let lab: Lab | null = null;
afterEach(async () => {
	await lab?.close();
	lab = null;
});

async function open(options: Partial<LabOptions> = {}) {
	lab = await startLab({snapshotDir: FIXTURE, simulate: false, liveTailUpdateMs: 100, ...options});
	return lab;
}

const arn = (lab: Lab, group: string) => `arn:aws:logs:${lab.region}:${lab.accountId}:log-group:${group}`;

/** Reads frames until `stop` says enough, or the stream ends / fails; returns what arrived. */
async function collect(stream: AsyncIterable<StartLiveTailResponseStream>, stop: (frames: StartLiveTailResponseStream[]) => boolean) {
	const frames: StartLiveTailResponseStream[] = [];
	let error: Error | null = null;
	try {
		for await (const frame of stream) {
			frames.push(frame);
			if (stop(frames)) break;
		}
	} catch (caught) {
		error = caught as Error;
	}
	return {frames, error};
}

const updates = (frames: StartLiveTailResponseStream[]) => frames.flatMap((frame) => (frame.sessionUpdate ? [frame.sessionUpdate] : []));
const results = (frames: StartLiveTailResponseStream[]) => updates(frames).flatMap((update) => update.sessionResults ?? []);

describe('StartLiveTail', () => {
	it('sends sessionStart at once, then updates with new events of the chosen stream that match the pattern', async () => {
		const lab = await open();
		const abort = new AbortController();
		const response = await logsClient(lab).send(
			new StartLiveTailCommand({logGroupIdentifiers: [arn(lab, IDS.flowGroup)], logStreamNames: [IDS.eniWeb], logEventFilterPattern: 'REJECT'}),
			{abortSignal: abort.signal},
		);
		const base = Math.floor(Date.now() / 1000);
		// Matching, wrong action, wrong stream: only the first may arrive.
		setTimeout(() => {
			lab.appendFlowRecords(IDS.eniWeb, [`2 111122223333 ${IDS.eniWeb} 203.0.113.99 10.0.1.10 40000 22 6 1 60 ${base} ${base + 1} REJECT OK`]);
			lab.appendFlowRecords(IDS.eniWeb, [`2 111122223333 ${IDS.eniWeb} 203.0.113.98 10.0.1.10 40000 443 6 9 900 ${base} ${base + 1} ACCEPT OK`]);
			lab.appendFlowRecords(IDS.eniWindows, [`2 111122223333 ${IDS.eniWindows} 203.0.113.97 10.0.1.30 40000 3389 6 1 60 ${base} ${base + 1} REJECT OK`]);
		}, 150);
		const {frames} = await collect(response.responseStream!, (seen) => results(seen).length >= 1 && updates(seen).length >= 4);
		abort.abort();
		expect(frames[0]!.sessionStart).toMatchObject({logGroupIdentifiers: [arn(lab, IDS.flowGroup)], logStreamNames: [IDS.eniWeb], logEventFilterPattern: 'REJECT'});
		expect(frames[0]!.sessionStart!.sessionId).toBeTruthy();
		const got = results(frames);
		expect(got).toHaveLength(1);
		expect(got[0]).toMatchObject({logStreamName: IDS.eniWeb, logGroupIdentifier: arn(lab, IDS.flowGroup), timestamp: base * 1000});
		expect(got[0]!.message).toContain('203.0.113.99');
		expect(got[0]!.ingestionTime).toBeGreaterThanOrEqual(base * 1000);
		expect(updates(frames).every((update) => update.sessionMetadata?.sampled === false)).toBe(true);
	});

	it('streams simulated traffic, and authorizing the missing rule turns the client\'s REJECTs into ACCEPTs', async () => {
		const lab = await open({simulate: {ratePerSecond: 0}});
		const abort = new AbortController();
		const response = await logsClient(lab).send(new StartLiveTailCommand({logGroupIdentifiers: [arn(lab, IDS.flowGroup)], logStreamNamePrefixes: ['eni-0eb0']}), {abortSignal: abort.signal});
		const office8443 = lab.simulator!.clients.find((client) => client.dstPort === 8443)!;
		const iterator = response.responseStream![Symbol.asyncIterator]();
		expect((await iterator.next()).value.sessionStart).toBeTruthy();
		const webClients = lab.simulator!.clients.filter((client) => client.eniId === IDS.eniWeb).length;
		const next = async () => {
			lab.simulator!.step(lab.simulator!.clients.length);
			for (;;) {
				const frame = (await iterator.next()).value as StartLiveTailResponseStream;
				const batch = frame.sessionUpdate?.sessionResults ?? [];
				if (batch.length > 0) return batch.filter((event) => event.message!.includes(' 8443 '));
			}
		};
		const before = await next();
		expect(before.map((event) => event.message!.split(' ')[12])).toEqual(['REJECT']);
		await ec2Client(lab).send(new AuthorizeSecurityGroupIngressCommand({GroupId: IDS.sgWeb, IpPermissions: [{IpProtocol: 'tcp', FromPort: 8443, ToPort: 8443, IpRanges: [{CidrIp: `${office8443.srcAddr}/32`}]}]}));
		const after = await next();
		expect(after.map((event) => event.message!.split(' ')[12])).toEqual(['ACCEPT']);
		expect(webClients).toBe(3);
		abort.abort();
	});

	it('samples an update beyond 500 events', async () => {
		const lab = await open({liveTailUpdateMs: 300});
		const abort = new AbortController();
		const response = await logsClient(lab).send(new StartLiveTailCommand({logGroupIdentifiers: [IDS.flowGroup]}), {abortSignal: abort.signal});
		const line = `2 111122223333 ${IDS.eniWeb} 203.0.113.99 10.0.1.10 40000 22 6 1 60 1 2 REJECT OK`;
		lab.appendFlowRecords(IDS.eniWeb, Array.from({length: 700}, () => line));
		const {frames} = await collect(response.responseStream!, (seen) => results(seen).length > 0);
		abort.abort();
		const update = updates(frames).find((item) => (item.sessionResults ?? []).length > 0)!;
		expect(update.sessionResults).toHaveLength(500);
		expect(update.sessionMetadata!.sampled).toBe(true);
	});

	it('ends with SessionTimeoutException after the session length', async () => {
		const lab = await open({liveTailSessionSeconds: 1});
		const started = Date.now();
		const response = await logsClient(lab).send(new StartLiveTailCommand({logGroupIdentifiers: [arn(lab, IDS.flowGroup)]}));
		const {frames, error} = await collect(response.responseStream!, () => false);
		expect(frames[0]!.sessionStart).toBeTruthy();
		expect(updates(frames).length).toBeGreaterThanOrEqual(5);
		expect(error?.name).toBe('SessionTimeoutException');
		expect(Date.now() - started).toBeGreaterThanOrEqual(900);
	});

	it('can be cut mid-stream by the fault knob', async () => {
		const lab = await open({faults: {cutLiveTailAfterUpdates: 2}});
		const response = await logsClient(lab).send(new StartLiveTailCommand({logGroupIdentifiers: [arn(lab, IDS.flowGroup)]}));
		const {frames, error} = await collect(response.responseStream!, () => false);
		expect(updates(frames)).toHaveLength(2);
		expect(error).not.toBeNull();
		expect(error!.name).not.toBe('SessionTimeoutException');
	});

	it('answers AccessDeniedException when denied, and validates its input', async () => {
		const lab = await open({faults: {denyLiveTail: true}});
		const client = logsClient(lab);
		await expectAwsError(client.send(new StartLiveTailCommand({logGroupIdentifiers: [arn(lab, IDS.flowGroup)]})), 'AccessDeniedException');
		lab.faults.denyLiveTail = false;
		await expectAwsError(client.send(new StartLiveTailCommand({logGroupIdentifiers: [`${arn(lab, IDS.flowGroup)}:*`]})), 'InvalidParameterException');
		await expectAwsError(client.send(new StartLiveTailCommand({logGroupIdentifiers: [arn(lab, '/nope')]})), 'ResourceNotFoundException');
		await expectAwsError(
			client.send(new StartLiveTailCommand({logGroupIdentifiers: [arn(lab, IDS.flowGroup), arn(lab, IDS.dbFlowGroup)], logStreamNames: [IDS.eniWeb]})),
			'InvalidParameterException',
		);
	});
});
