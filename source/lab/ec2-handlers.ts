// EC2 actions the lab implements, on the lab's state. Inputs are the decoded query form; results
// are SDK-shaped documents that ec2-xml.ts serializes. Errors use AWS's codes and wording.
import {filters, stringList, type QueryParams, type QueryValue} from './ec2-query.js';
import {
	applyFilters,
	flowLogFilters,
	instanceFilters,
	internetGatewayFilters,
	networkAclFilters,
	networkInterfaceFilters,
	prefixListFilters,
	routeTableFilters,
	securityGroupFilters,
	securityGroupRuleFilters,
} from './ec2-filters.js';
import {AWS_ID_PREFIXES, isAwsId, type AwsIdKind} from '../core/aws-ids.js';
import {LabError} from './lab-error.js';
import {newRuleId, permissionRules, ruleKey, type LabRule, type Permission} from './sg-rules.js';
import {securityGroupDoc, type LabState} from './snapshot-state.js';

type Doc = Record<string, any>;

export interface Ec2Context {
	state: LabState;
	/** Largest page the lab returns whatever MaxResults says (AWS: 1000); tests make it small. */
	maxPageSize: number;
}

type Handler = (params: QueryParams, context: Ec2Context) => Doc;

function encodeToken(action: string, offset: number): string {
	return Buffer.from(JSON.stringify({action, offset})).toString('base64url');
}

function decodeToken(action: string, token: string): number {
	try {
		const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as {action?: string; offset?: number};
		if (parsed.action === action && Number.isInteger(parsed.offset) && parsed.offset! >= 0) return parsed.offset!;
	} catch {
		// fall through to the error
	}
	throw new LabError('InvalidParameterValue', `Invalid value '${token}' for nextToken`);
}

/** One page and the token for the next; the page size obeys MaxResults' documented range. */
function paginate<T>(action: string, items: T[], params: QueryParams, context: Ec2Context, range: [number, number]): {page: T[]; token?: string} {
	const raw = params.MaxResults;
	let size = Infinity;
	if (typeof raw === 'string') {
		size = Number(raw);
		if (!Number.isInteger(size) || size < range[0] || size > range[1]) {
			throw new LabError('InvalidParameterValue', `Value ( ${raw} ) for parameter maxResults is invalid. Parameter must be between ${range[0]} and ${range[1]}.`);
		}
	}
	size = Math.min(size, context.maxPageSize);
	const start = typeof params.NextToken === 'string' && params.NextToken !== '' ? decodeToken(action, params.NextToken) : 0;
	const page = items.slice(start, start + size);
	const next = start + page.length;
	return next < items.length ? {page, token: encodeToken(action, next)} : {page};
}

function withToken(result: Doc, token: string | undefined): Doc {
	return token ? {...result, NextToken: token} : result;
}

/**
 * A malformed id is refused before any lookup, as EC2 does, with the action's documented code
 * (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html: the casing is
 * AWS's own and differs per resource) and EC2's message, `Invalid id: "sg-1" (expecting "sg-...")`.
 */
const MALFORMED: Partial<Record<AwsIdKind, string>> = {
	instance: 'InvalidInstanceID.Malformed',
	networkInterface: 'InvalidNetworkInterfaceId.Malformed',
	securityGroup: 'InvalidGroupId.Malformed',
	securityGroupRule: 'InvalidSecurityGroupRuleId.Malformed',
	networkAcl: 'InvalidNetworkAclId.Malformed',
	prefixList: 'InvalidPrefixListId.Malformed',
	routeTable: 'InvalidRouteTableId.Malformed',
	internetGateway: 'InvalidInternetGatewayId.Malformed',
};

function refuseMalformed(ids: Array<string | undefined>, kind: AwsIdKind): void {
	for (const id of ids) {
		if (id !== undefined && !isAwsId(kind, id)) throw new LabError(MALFORMED[kind] ?? 'InvalidParameterValue', `Invalid id: "${id}" (expecting "${AWS_ID_PREFIXES[kind]}-...")`);
	}
}

/** Selecting by id: every id well formed, then every id must exist, as AWS answers (first missing id named). */
function byIds<T extends Doc>(items: T[], ids: string[], idOf: (item: T) => string, notFound: (id: string) => LabError, kind: AwsIdKind): T[] {
	if (ids.length === 0) return items;
	refuseMalformed(ids, kind);
	for (const id of ids) if (!items.some((item) => idOf(item) === id)) throw notFound(id);
	return items.filter((item) => ids.includes(idOf(item)));
}

/**
 * EC2 refuses ids and MaxResults in one request for the actions whose ids select (AWS names the
 * id list by its XML element, e.g. "The parameter routeTableIdSet cannot be used with the
 * parameter maxResults").
 */
function refuseIdsWithMaxResults(params: QueryParams, ids: string[], idSet: string): void {
	if (ids.length > 0 && typeof params.MaxResults === 'string') {
		throw new LabError('InvalidParameterCombination', `The parameter ${idSet} cannot be used with the parameter maxResults`);
	}
}

function dryRun(params: QueryParams): void {
	if (params.DryRun === 'true') throw new LabError('DryRunOperation', 'Request would have succeeded, but DryRun flag is set.', 412);
}

const describeInstances: Handler = (params, context) => {
	const ids = stringList(params, 'InstanceId');
	const all = context.state.reservations.flatMap((reservation) => (reservation.Instances ?? []) as Doc[]);
	byIds(all, ids, (instance) => instance.InstanceId, (id) => new LabError('InvalidInstanceID.NotFound', `The instance ID '${id}' does not exist`), 'instance');
	const reservations = context.state.reservations
		.map((reservation) => {
			let instances: Doc[] = reservation.Instances ?? [];
			if (ids.length) instances = instances.filter((instance) => ids.includes(instance.InstanceId));
			instances = applyFilters(instances, filters(params), instanceFilters);
			return {...reservation, Instances: instances};
		})
		.filter((reservation) => reservation.Instances.length > 0);
	const {page, token} = paginate('DescribeInstances', reservations, params, context, [5, 1000]);
	return withToken({Reservations: page}, token);
};

const describeNetworkInterfaces: Handler = (params, context) => {
	const ids = stringList(params, 'NetworkInterfaceId');
	let items = byIds(context.state.networkInterfaces, ids, (eni) => eni.NetworkInterfaceId, (id) => new LabError('InvalidNetworkInterfaceID.NotFound', `The networkInterface ID '${id}' does not exist`), 'networkInterface');
	items = applyFilters(items, filters(params), networkInterfaceFilters);
	const {page, token} = paginate('DescribeNetworkInterfaces', items, params, context, [5, 1000]);
	return withToken({NetworkInterfaces: page}, token);
};

function findGroup(state: LabState, id: string | undefined, name?: string): Doc {
	const group = state.securityGroups.find((candidate) => (id ? candidate.GroupId === id : candidate.GroupName === name));
	if (!group) throw new LabError('InvalidGroup.NotFound', `The security group '${id ?? name}' does not exist`);
	return group;
}

const describeSecurityGroups: Handler = (params, context) => {
	const ids = stringList(params, 'GroupId');
	const names = stringList(params, 'GroupName');
	let items = byIds(context.state.securityGroups, ids, (group) => group.GroupId, (id) => new LabError('InvalidGroup.NotFound', `The security group '${id}' does not exist`), 'securityGroup');
	if (names.length) items = names.map((name) => findGroup(context.state, undefined, name));
	items = applyFilters(items, filters(params), securityGroupFilters);
	const {page, token} = paginate('DescribeSecurityGroups', items, params, context, [5, 1000]);
	return withToken({SecurityGroups: page.map((group) => securityGroupDoc(context.state, group))}, token);
};

function describeRuleDoc(rule: LabRule, state: LabState): Doc {
	const arn = `arn:aws:ec2:${state.region}:${rule.GroupOwnerId}:security-group-rule/${rule.SecurityGroupRuleId}`;
	return {...rule, FromPort: rule.FromPort ?? -1, ToPort: rule.ToPort ?? -1, SecurityGroupRuleArn: arn};
}

const describeSecurityGroupRules: Handler = (params, context) => {
	const ids = stringList(params, 'SecurityGroupRuleId');
	let items = byIds(context.state.rules, ids, (rule) => rule.SecurityGroupRuleId, (id) => new LabError('InvalidSecurityGroupRuleId.NotFound', `The security group rule ID '${id}' does not exist`), 'securityGroupRule');
	items = applyFilters(items, filters(params), securityGroupRuleFilters);
	const {page, token} = paginate('DescribeSecurityGroupRules', items, params, context, [5, 1000]);
	return withToken({SecurityGroupRules: page.map((rule) => describeRuleDoc(rule, context.state))}, token);
};

const describeNetworkAcls: Handler = (params, context) => {
	const ids = stringList(params, 'NetworkAclId');
	let items = byIds(context.state.networkAcls, ids, (acl) => acl.NetworkAclId, (id) => new LabError('InvalidNetworkAclID.NotFound', `The network ACL ID '${id}' does not exist`), 'networkAcl');
	items = applyFilters(items, filters(params), networkAclFilters);
	const {page, token} = paginate('DescribeNetworkAcls', items, params, context, [5, 1000]);
	return withToken({NetworkAcls: page}, token);
};

const describeFlowLogs: Handler = (params, context) => {
	// Unknown flow log ids are not an error in DescribeFlowLogs: they just match nothing.
	const ids = stringList(params, 'FlowLogId');
	let items = ids.length ? context.state.flowLogs.filter((flowLog) => ids.includes(flowLog.FlowLogId)) : context.state.flowLogs;
	items = applyFilters(items, filters(params), flowLogFilters);
	const {page, token} = paginate('DescribeFlowLogs', items, params, context, [1, 1000]);
	return withToken({FlowLogs: page}, token);
};

const describeManagedPrefixLists: Handler = (params, context) => {
	const ids = stringList(params, 'PrefixListId');
	let items = byIds(context.state.prefixLists, ids, (list) => list.PrefixListId, (id) => new LabError('InvalidPrefixListID.NotFound', `The prefix list ID '${id}' does not exist`), 'prefixList');
	items = applyFilters(items, filters(params), prefixListFilters);
	const {page, token} = paginate('DescribeManagedPrefixLists', items, params, context, [1, 100]);
	return withToken({PrefixLists: page}, token);
};

const getManagedPrefixListEntries: Handler = (params, context) => {
	const id = typeof params.PrefixListId === 'string' ? params.PrefixListId : '';
	if (!id) throw new LabError('MissingParameter', 'The request must contain the parameter PrefixListId');
	refuseMalformed([id], 'prefixList');
	const known = context.state.prefixLists.some((list) => list.PrefixListId === id) || id in context.state.prefixListEntries;
	if (!known) throw new LabError('InvalidPrefixListID.NotFound', `The prefix list ID '${id}' does not exist`);
	const {page, token} = paginate('GetManagedPrefixListEntries', context.state.prefixListEntries[id] ?? [], params, context, [1, 100]);
	return withToken({Entries: page}, token);
};

const describeRouteTables: Handler = (params, context) => {
	const ids = stringList(params, 'RouteTableId');
	refuseIdsWithMaxResults(params, ids, 'routeTableIdSet');
	let items = byIds(context.state.routeTables ?? [], ids, (table) => table.RouteTableId, (id) => new LabError('InvalidRouteTableID.NotFound', `The routeTable ID '${id}' does not exist`), 'routeTable');
	items = applyFilters(items, filters(params), routeTableFilters);
	const {page, token} = paginate('DescribeRouteTables', items, params, context, [5, 100]);
	return withToken({RouteTables: page}, token);
};

const describeInternetGateways: Handler = (params, context) => {
	const ids = stringList(params, 'InternetGatewayId');
	refuseIdsWithMaxResults(params, ids, 'internetGatewayIdSet');
	let items = byIds(context.state.internetGateways ?? [], ids, (gateway) => gateway.InternetGatewayId, (id) => new LabError('InvalidInternetGatewayID.NotFound', `The internetGateway ID '${id}' does not exist`), 'internetGateway');
	items = applyFilters(items, filters(params), internetGatewayFilters);
	const {page, token} = paginate('DescribeInternetGateways', items, params, context, [5, 1000]);
	return withToken({InternetGateways: page}, token);
};

// ---------------------------------------------------------------------------------------------
// Changing rules

function int(value: QueryValue | undefined): number | undefined {
	if (typeof value !== 'string' || value === '') return undefined;
	const n = Number(value);
	if (!Number.isInteger(n)) throw new LabError('InvalidParameterValue', `Invalid value '${value}' for port`);
	return n;
}

function records(value: QueryValue | undefined): Array<Record<string, QueryValue>> {
	return Array.isArray(value) ? (value.filter((item) => item && typeof item === 'object' && !Array.isArray(item)) as Array<Record<string, QueryValue>>) : [];
}

function str(value: QueryValue | undefined): string | undefined {
	return typeof value === 'string' ? value : undefined;
}

/** IpPermissions from the form (`IpPermissions.N.Groups.M.*` are the group pairs), or the legacy flat parameters. */
function requestedPermissions(params: QueryParams): Permission[] {
	const permissions: Permission[] = records(params.IpPermissions).map((item) => ({
		IpProtocol: str(item.IpProtocol),
		FromPort: int(item.FromPort),
		ToPort: int(item.ToPort),
		IpRanges: records(item.IpRanges).map((range) => ({CidrIp: str(range.CidrIp), Description: str(range.Description)})),
		Ipv6Ranges: records(item.Ipv6Ranges).map((range) => ({CidrIpv6: str(range.CidrIpv6), Description: str(range.Description)})),
		PrefixListIds: records(item.PrefixListIds).map((list) => ({PrefixListId: str(list.PrefixListId), Description: str(list.Description)})),
		UserIdGroupPairs: records(item.Groups).map((pair) => ({GroupId: str(pair.GroupId), GroupName: str(pair.GroupName), UserId: str(pair.UserId), Description: str(pair.Description)})),
	}));
	if (permissions.length === 0 && (params.CidrIp || params.SourceSecurityGroupName || params.IpProtocol)) {
		permissions.push({
			IpProtocol: str(params.IpProtocol),
			FromPort: int(params.FromPort),
			ToPort: int(params.ToPort),
			IpRanges: params.CidrIp ? [{CidrIp: str(params.CidrIp)}] : [],
			UserIdGroupPairs: params.SourceSecurityGroupName ? [{GroupName: str(params.SourceSecurityGroupName), UserId: str(params.SourceSecurityGroupOwnerId)}] : [],
		});
	}
	return permissions;
}

function describeForError(rule: Omit<LabRule, 'SecurityGroupRuleId'>): string {
	const peer = rule.CidrIpv4 ?? rule.CidrIpv6 ?? rule.PrefixListId ?? rule.ReferencedGroupInfo?.GroupId;
	const protocol = rule.IpProtocol === '-1' ? 'ALL' : rule.IpProtocol.toUpperCase();
	return `peer: ${peer}, ${protocol}, from port: ${rule.FromPort ?? -1}, to port: ${rule.ToPort ?? -1}, ALLOW`;
}

function targetGroup(params: QueryParams, state: LabState): Doc {
	const id = str(params.GroupId);
	const name = str(params.GroupName);
	if (!id && !name) throw new LabError('MissingParameter', 'The request must contain the parameter groupId');
	refuseMalformed([id], 'securityGroup');
	return findGroup(state, id, name);
}

function resolvePairs(rules: Array<Omit<LabRule, 'SecurityGroupRuleId'>>, state: LabState): void {
	for (const rule of rules) {
		const info = rule.ReferencedGroupInfo;
		if (!info) continue;
		if (info.UserId && info.UserId !== state.accountId) continue; // another account's group: taken as given
		if (info.GroupId?.startsWith('sg-')) refuseMalformed([info.GroupId], 'securityGroup');
		const referenced = state.securityGroups.find((group) => group.GroupId === info.GroupId || group.GroupName === info.GroupId);
		if (!referenced) throw new LabError('InvalidGroup.NotFound', `The security group '${info.GroupId}' does not exist`);
		info.GroupId = referenced.GroupId;
	}
}

function authorize(egress: boolean): Handler {
	return (params, context) => {
		const {state} = context;
		const group = targetGroup(params, state);
		const permissions = requestedPermissions(params);
		if (permissions.length === 0) throw new LabError('MissingParameter', 'The request must contain the parameter ipPermissions');
		const rules = permissionRules(group.GroupId, group.OwnerId ?? state.accountId, egress, permissions, true);
		resolvePairs(rules, state);
		const seen = new Set(state.rules.map(ruleKey));
		for (const rule of rules) {
			const key = ruleKey(rule);
			if (seen.has(key)) throw new LabError('InvalidPermission.Duplicate', `the specified rule "${describeForError(rule)}" already exists`);
			seen.add(key);
		}
		dryRun(params);
		const added = rules.map((rule) => ({SecurityGroupRuleId: newRuleId(), ...rule}));
		state.rules.push(...added);
		return {Return: true, SecurityGroupRules: added.map((rule) => describeRuleDoc(rule, state))};
	};
}

function revokedDoc(rule: LabRule): Doc {
	const {ReferencedGroupInfo, Tags: _tags, GroupOwnerId: _owner, SecurityGroupRuleArn: _arn, ...rest} = rule;
	return {...rest, ...(ReferencedGroupInfo ? {ReferencedGroupId: ReferencedGroupInfo.GroupId} : {})};
}

function revoke(egress: boolean): Handler {
	return (params, context) => {
		const {state} = context;
		const group = targetGroup(params, state);
		const ruleIds = stringList(params, 'SecurityGroupRuleId');
		refuseMalformed(ruleIds, 'securityGroupRule');
		const doomed: LabRule[] = [];
		for (const id of ruleIds) {
			const rule = state.rules.find((candidate) => candidate.SecurityGroupRuleId === id && candidate.GroupId === group.GroupId && candidate.IsEgress === egress);
			if (!rule) throw new LabError('InvalidSecurityGroupRuleId.NotFound', `The security group rule ID '${id}' does not exist`);
			doomed.push(rule);
		}
		const permissions = requestedPermissions(params);
		if (ruleIds.length === 0 && permissions.length === 0) throw new LabError('MissingParameter', 'The request must contain the parameter ipPermissions or securityGroupRuleIds');
		const wanted = permissionRules(group.GroupId, group.OwnerId ?? state.accountId, egress, permissions, true);
		resolvePairs(wanted, state);
		for (const rule of wanted) {
			const key = ruleKey(rule);
			const existing = state.rules.find((candidate) => ruleKey(candidate) === key);
			if (!existing) throw new LabError('InvalidPermission.NotFound', 'The specified rule does not exist in this security group.');
			doomed.push(existing);
		}
		dryRun(params);
		const gone = new Set(doomed);
		state.rules = state.rules.filter((rule) => !gone.has(rule));
		return {Return: true, RevokedSecurityGroupRules: [...gone].map(revokedDoc)};
	};
}

export const EC2_HANDLERS: Record<string, Handler> = {
	DescribeInstances: describeInstances,
	DescribeNetworkInterfaces: describeNetworkInterfaces,
	DescribeSecurityGroups: describeSecurityGroups,
	DescribeSecurityGroupRules: describeSecurityGroupRules,
	DescribeNetworkAcls: describeNetworkAcls,
	DescribeFlowLogs: describeFlowLogs,
	DescribeManagedPrefixLists: describeManagedPrefixLists,
	GetManagedPrefixListEntries: getManagedPrefixListEntries,
	DescribeRouteTables: describeRouteTables,
	DescribeInternetGateways: describeInternetGateways,
	AuthorizeSecurityGroupIngress: authorize(false),
	AuthorizeSecurityGroupEgress: authorize(true),
	RevokeSecurityGroupIngress: revoke(false),
	RevokeSecurityGroupEgress: revoke(true),
};
