// Security-group rules as the lab stores them: one SecurityGroupRule (the shape
// DescribeSecurityGroupRules returns) per (permission × peer). DescribeSecurityGroups' IpPermissions
// are rebuilt from them, so authorize/revoke change both views at once, as in AWS.
import {createHash, randomBytes} from 'node:crypto';
import ipaddr from 'ipaddr.js';
import {LabError} from './lab-error.js';

/** The SDK's SecurityGroupRule shape (PascalCase), plus nothing else. */
export interface LabRule {
	SecurityGroupRuleId: string;
	GroupId: string;
	GroupOwnerId: string;
	IsEgress: boolean;
	IpProtocol: string;
	FromPort?: number;
	ToPort?: number;
	CidrIpv4?: string;
	CidrIpv6?: string;
	PrefixListId?: string;
	ReferencedGroupInfo?: {GroupId: string; UserId?: string; VpcId?: string; VpcPeeringConnectionId?: string; PeeringStatus?: string};
	Description?: string;
	Tags: Array<{Key: string; Value: string}>;
	SecurityGroupRuleArn?: string;
}

/** A permission as the SDK models it (IpPermission); the query form sends pairs as `Groups`. */
export interface Permission {
	IpProtocol?: string;
	FromPort?: number;
	ToPort?: number;
	IpRanges?: Array<{CidrIp?: string; Description?: string}>;
	Ipv6Ranges?: Array<{CidrIpv6?: string; Description?: string}>;
	PrefixListIds?: Array<{PrefixListId?: string; Description?: string}>;
	UserIdGroupPairs?: Array<{GroupId?: string; GroupName?: string; UserId?: string; VpcId?: string; VpcPeeringConnectionId?: string; PeeringStatus?: string; Description?: string}>;
}

const PROTOCOL_NAMES: Record<string, string> = {'6': 'tcp', '17': 'udp', '1': 'icmp', '58': 'icmpv6', all: '-1'};

/** AWS stores `6` as `tcp` and `all` as `-1`; ports are dropped for all-traffic rules. */
export function normalizeProtocol(protocol: string | undefined): string {
	const lower = (protocol ?? '-1').toLowerCase();
	return PROTOCOL_NAMES[lower] ?? lower;
}

function peerKey(rule: Pick<LabRule, 'CidrIpv4' | 'CidrIpv6' | 'PrefixListId' | 'ReferencedGroupInfo'>): string {
	if (rule.CidrIpv4) return `4:${rule.CidrIpv4}`;
	if (rule.CidrIpv6) return `6:${rule.CidrIpv6}`;
	if (rule.PrefixListId) return `pl:${rule.PrefixListId}`;
	return `sg:${rule.ReferencedGroupInfo?.GroupId ?? ''}`;
}

/** Identity of a rule for duplicate detection and revoke-by-permission (descriptions don't count). */
export function ruleKey(rule: Omit<LabRule, 'SecurityGroupRuleId' | 'Tags' | 'GroupOwnerId'>): string {
	return [rule.GroupId, rule.IsEgress ? 'e' : 'i', rule.IpProtocol, rule.FromPort ?? '', rule.ToPort ?? '', peerKey(rule)].join('|');
}

export function stableRuleId(key: string): string {
	return 'sgr-0' + createHash('sha256').update(key).digest('hex').slice(0, 16);
}

export function newRuleId(): string {
	return 'sgr-0' + randomBytes(8).toString('hex');
}

function validCidr(cidr: string, family: 'ipv4' | 'ipv6'): boolean {
	if (!ipaddr.isValidCIDR(cidr)) return false;
	return ipaddr.parseCIDR(cidr)[0].kind() === family;
}

/**
 * Explodes permissions into rules (ids not yet assigned). `strict` validates like the API does
 * for Authorize/Revoke input; snapshots are taken as they are.
 */
export function permissionRules(groupId: string, ownerId: string, isEgress: boolean, permissions: Permission[], strict: boolean): Array<Omit<LabRule, 'SecurityGroupRuleId'>> {
	const rules: Array<Omit<LabRule, 'SecurityGroupRuleId'>> = [];
	for (const permission of permissions) {
		const protocol = normalizeProtocol(permission.IpProtocol);
		const ported = protocol === 'tcp' || protocol === 'udp';
		if (strict) {
			if (permission.IpProtocol === undefined) throw new LabError('MissingParameter', 'The request must contain the parameter ipProtocol');
			if (!/^(tcp|udp|icmp|icmpv6|-1|\d{1,3})$/.test(protocol)) throw new LabError('InvalidParameterValue', `Invalid value '${permission.IpProtocol}' for IP protocol. Unknown protocol.`);
			if (ported && (permission.FromPort === undefined || permission.ToPort === undefined)) {
				throw new LabError('InvalidParameterValue', `Invalid value 'Must specify both from and to ports with TCP/UDP.' for portRange.`);
			}
			if (ported && (permission.FromPort! < 0 || permission.ToPort! > 65535 || permission.FromPort! > permission.ToPort!)) {
				throw new LabError('InvalidParameterValue', `Invalid value '${permission.FromPort}-${permission.ToPort}' for portRange.`);
			}
		}
		const base = {
			GroupId: groupId,
			GroupOwnerId: ownerId,
			IsEgress: isEgress,
			IpProtocol: protocol,
			...(protocol === '-1' ? {} : {FromPort: permission.FromPort ?? -1, ToPort: permission.ToPort ?? -1}),
			Tags: [],
		};
		let count = 0;
		for (const range of permission.IpRanges ?? []) {
			if (!range.CidrIp) continue;
			if (strict && !validCidr(range.CidrIp, 'ipv4')) throw new LabError('InvalidParameterValue', `CIDR block ${range.CidrIp} is malformed`);
			rules.push({...base, CidrIpv4: range.CidrIp, ...(range.Description ? {Description: range.Description} : {})});
			count++;
		}
		for (const range of permission.Ipv6Ranges ?? []) {
			if (!range.CidrIpv6) continue;
			if (strict && !validCidr(range.CidrIpv6, 'ipv6')) throw new LabError('InvalidParameterValue', `CIDR block ${range.CidrIpv6} is malformed`);
			rules.push({...base, CidrIpv6: range.CidrIpv6, ...(range.Description ? {Description: range.Description} : {})});
			count++;
		}
		for (const list of permission.PrefixListIds ?? []) {
			if (!list.PrefixListId) continue;
			rules.push({...base, PrefixListId: list.PrefixListId, ...(list.Description ? {Description: list.Description} : {})});
			count++;
		}
		for (const pair of permission.UserIdGroupPairs ?? []) {
			const referenced = pair.GroupId ?? pair.GroupName;
			if (!referenced) continue;
			const info: NonNullable<LabRule['ReferencedGroupInfo']> = {GroupId: referenced, UserId: pair.UserId ?? ownerId};
			if (pair.VpcId) info.VpcId = pair.VpcId;
			if (pair.VpcPeeringConnectionId) info.VpcPeeringConnectionId = pair.VpcPeeringConnectionId;
			if (pair.PeeringStatus) info.PeeringStatus = pair.PeeringStatus;
			rules.push({...base, ReferencedGroupInfo: info, ...(pair.Description ? {Description: pair.Description} : {})});
			count++;
		}
		if (strict && count === 0) throw new LabError('MissingParameter', 'The request must contain a source or destination (CIDR, prefix list or security group).');
	}
	return rules;
}

/** Regroups rules into IpPermissions the way DescribeSecurityGroups presents them. */
export function rulesToPermissions(rules: LabRule[]): Permission[] {
	const byKey = new Map<string, Required<Pick<Permission, 'IpRanges' | 'Ipv6Ranges' | 'PrefixListIds' | 'UserIdGroupPairs'>> & Permission>();
	for (const rule of rules) {
		const key = `${rule.IpProtocol}|${rule.FromPort ?? ''}|${rule.ToPort ?? ''}`;
		let permission = byKey.get(key);
		if (!permission) {
			permission = {IpProtocol: rule.IpProtocol, IpRanges: [], Ipv6Ranges: [], PrefixListIds: [], UserIdGroupPairs: []};
			if (rule.IpProtocol !== '-1') {
				permission.FromPort = rule.FromPort;
				permission.ToPort = rule.ToPort;
			}
			byKey.set(key, permission);
		}
		const description = rule.Description ? {Description: rule.Description} : {};
		if (rule.CidrIpv4) permission.IpRanges.push({CidrIp: rule.CidrIpv4, ...description});
		else if (rule.CidrIpv6) permission.Ipv6Ranges.push({CidrIpv6: rule.CidrIpv6, ...description});
		else if (rule.PrefixListId) permission.PrefixListIds.push({PrefixListId: rule.PrefixListId, ...description});
		else if (rule.ReferencedGroupInfo) permission.UserIdGroupPairs.push({...description, ...rule.ReferencedGroupInfo});
	}
	return [...byKey.values()];
}
