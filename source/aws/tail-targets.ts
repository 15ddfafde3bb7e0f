// Resolves what `sgtui tail TARGET` watches: an instance's ENIs, one ENI, or every ENI carrying a
// security group — each with the flow log that can show its rejects, grouped by log group so one
// Live Tail session (which takes stream names for exactly one group) serves each group.
import type {EC2Client, FlowLog, NetworkInterface as AwsNetworkInterface} from '@aws-sdk/client-ec2';
import {ec2Sdk} from './sdk.js';
import {mapInventory} from '../core/aws-mapper.js';
import {type FlowCoverage, flowCoverage} from '../core/flow-coverage.js';
import type {FlowLogConfig, NetworkInterface} from '../core/types.js';
import {awsCall, AwsCallError} from './errors.js';
import {MAX_LIVE_TAIL_STREAMS} from './reject-stream.js';

export type TargetKind = 'instance' | 'network-interface' | 'security-group';

export function targetKind(target: string): TargetKind | null {
	if (/^i-[0-9a-zA-Z]+$/.test(target)) return 'instance';
	if (/^eni-[0-9a-zA-Z]+$/.test(target)) return 'network-interface';
	if (/^sg-[0-9a-zA-Z]+$/.test(target)) return 'security-group';
	return null;
}

export interface TailGroup {
	logGroupName: string;
	format: string;
	flowLog: FlowLogConfig;
	eniIds: string[];
}

export interface TailPlan {
	kind: TargetKind;
	networkInterfaces: NetworkInterface[];
	coverage: FlowCoverage[];
	groups: TailGroup[];
	/** One line per ENI that can't be watched, plus delay warnings. */
	warnings: string[];
}

const FILTER: Record<TargetKind, string> = {
	instance: 'attachment.instance-id',
	'network-interface': 'network-interface-id',
	'security-group': 'group-id',
};

export async function planTail(ec2: EC2Client, target: string, signal?: AbortSignal): Promise<TailPlan> {
	const kind = targetKind(target);
	if (!kind) throw new AwsCallError(`"${target}" is not an instance (i-…), network interface (eni-…) or security group (sg-…) id`, 'InvalidTarget', null);
	const abort = signal ? {abortSignal: signal} : undefined;
	const rawEnis = await awsCall('ec2', 'DescribeNetworkInterfaces', async () => {
		const all: AwsNetworkInterface[] = [];
		for await (const page of ec2Sdk().paginateDescribeNetworkInterfaces({client: ec2}, {Filters: [{Name: FILTER[kind], Values: [target]}]}, abort)) all.push(...(page.NetworkInterfaces ?? []));
		return all;
	});
	if (rawEnis.length === 0) {
		const what = kind === 'instance' ? `instance ${target} has no network interfaces (or does not exist in this region)` : kind === 'security-group' ? `no network interface uses ${target} (or it does not exist in this region)` : `network interface ${target} does not exist in this region`;
		throw new AwsCallError(what, 'NotFound', null);
	}
	const resources = [...new Set(rawEnis.flatMap((eni) => [eni.NetworkInterfaceId, eni.SubnetId, eni.VpcId]).filter((id): id is string => Boolean(id)))];
	const rawFlowLogs = await awsCall('ec2', 'DescribeFlowLogs', async () => {
		const all: FlowLog[] = [];
		for (let index = 0; index < resources.length; index += 200) {
			for await (const page of ec2Sdk().paginateDescribeFlowLogs({client: ec2}, {Filter: [{Name: 'resource-id', Values: resources.slice(index, index + 200)}]}, abort)) all.push(...(page.FlowLogs ?? []));
		}
		return all;
	});
	const inventory = mapInventory({networkInterfaces: rawEnis, flowLogs: rawFlowLogs});
	const coverage = inventory.networkInterfaces.map((eni) => flowCoverage(inventory, eni));
	const warnings: string[] = [];
	const groups = new Map<string, TailGroup>();
	for (const entry of coverage) {
		if (!entry.best) {
			warnings.push(`${entry.eniId}: ${entry.problem}`);
			continue;
		}
		const flowLog = entry.best.flowLog;
		const key = `${flowLog.logGroupName}\u0000${flowLog.logFormat}`;
		let group = groups.get(key);
		if (!group) {
			group = {logGroupName: flowLog.logGroupName!, format: flowLog.logFormat, flowLog, eniIds: []};
			groups.set(key, group);
			warnings.push(...entry.best.notes.filter((note) => /aggregates over/.test(note)));
		}
		group.eniIds.push(entry.eniId);
	}
	// One Live Tail session takes at most 100 stream names: large groups are split.
	const split = [...groups.values()].flatMap((group) => {
		const parts: TailGroup[] = [];
		for (let index = 0; index < group.eniIds.length; index += MAX_LIVE_TAIL_STREAMS) parts.push({...group, eniIds: group.eniIds.slice(index, index + MAX_LIVE_TAIL_STREAMS)});
		return parts;
	});
	return {kind, networkInterfaces: inventory.networkInterfaces, coverage, groups: split, warnings};
}
