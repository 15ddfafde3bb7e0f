// EC2 describe filters (`Filter.N.Name` / `Value.M`): the filter names sgtui and the AWS CLI use,
// with AWS's semantics — values of one filter are ORed, filters are ANDed, `*` and `?` are
// wildcards, `tag:<key>` matches a tag's value. An unknown filter name is an error, as in AWS.
import {LabError} from './lab-error.js';
import type {QueryFilter} from './ec2-query.js';

type Doc = Record<string, any>;
/** Values a resource has for a filter name; undefined = the filter does not exist here. */
export type FilterValues = (resource: Doc, name: string) => Array<string | number | boolean | undefined | null> | undefined;

function wildcard(value: string): RegExp | null {
	if (!/[*?]/.test(value)) return null;
	const body = value.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
	return new RegExp(`^${body}$`, 's');
}

function tagValues(resource: Doc, name: string, key = 'Tags'): string[] | undefined {
	const tags: Doc[] = resource[key] ?? resource.TagSet ?? [];
	if (name.startsWith('tag:')) return tags.filter((tag) => tag.Key === name.slice(4)).map((tag) => tag.Value ?? '');
	if (name === 'tag-key') return tags.map((tag) => tag.Key);
	if (name === 'tag-value') return tags.map((tag) => tag.Value ?? '');
	return undefined;
}

export function applyFilters<T extends Doc>(resources: T[], filters: QueryFilter[], values: FilterValues): T[] {
	if (filters.length === 0) return resources;
	const compiled = filters.map((filter) => {
		if (!filter.name) throw new LabError('InvalidParameterValue', 'The filter name must not be empty');
		return {name: filter.name, tests: filter.values.map((value) => ({value, re: wildcard(value)}))};
	});
	return resources.filter((resource) =>
		compiled.every(({name, tests}) => {
			const have = values(resource, name) ?? tagValues(resource, name);
			if (have === undefined) throw new LabError('InvalidParameterValue', `The filter '${name}' is invalid`);
			const strings = have.filter((value) => value !== undefined && value !== null).map(String);
			return tests.some(({value, re}) => strings.some((candidate) => (re ? re.test(candidate) : candidate === value)));
		}),
	);
}

const list = (items: Doc[] | undefined, pick: (item: Doc) => unknown) => (items ?? []).map(pick) as Array<string | undefined>;

export const instanceFilters: FilterValues = (instance, name) => {
	switch (name) {
		case 'instance-id':
			return [instance.InstanceId];
		case 'instance-state-name':
			return [instance.State?.Name];
		case 'vpc-id':
			return [instance.VpcId];
		case 'subnet-id':
			return [instance.SubnetId];
		case 'private-ip-address':
			return [instance.PrivateIpAddress];
		case 'ip-address':
			return [instance.PublicIpAddress];
		case 'instance.group-id':
		case 'group-id':
			return list(instance.SecurityGroups, (group) => group.GroupId);
		case 'instance.group-name':
		case 'group-name':
			return list(instance.SecurityGroups, (group) => group.GroupName);
		case 'network-interface.network-interface-id':
			return list(instance.NetworkInterfaces, (eni) => eni.NetworkInterfaceId);
		case 'network-interface.addresses.private-ip-address':
			return (instance.NetworkInterfaces ?? []).flatMap((eni: Doc) => list(eni.PrivateIpAddresses, (item) => item.PrivateIpAddress));
		case 'platform':
			return [instance.Platform];
		case 'key-name':
			return [instance.KeyName];
		default:
			return undefined;
	}
};

export const networkInterfaceFilters: FilterValues = (eni, name) => {
	switch (name) {
		case 'network-interface-id':
			return [eni.NetworkInterfaceId];
		case 'attachment.instance-id':
			return [eni.Attachment?.InstanceId];
		case 'attachment.attachment-id':
			return [eni.Attachment?.AttachmentId];
		case 'group-id':
			return list(eni.Groups, (group) => group.GroupId);
		case 'group-name':
			return list(eni.Groups, (group) => group.GroupName);
		case 'vpc-id':
			return [eni.VpcId];
		case 'subnet-id':
			return [eni.SubnetId];
		case 'status':
			return [eni.Status];
		case 'interface-type':
			return [eni.InterfaceType];
		case 'description':
			return [eni.Description];
		case 'private-ip-address':
		case 'addresses.private-ip-address':
			return list(eni.PrivateIpAddresses, (item) => item.PrivateIpAddress);
		case 'association.public-ip':
			return [eni.Association?.PublicIp];
		default:
			return name.startsWith('tag') ? tagValues(eni, name, 'TagSet') : undefined;
	}
};

export const securityGroupFilters: FilterValues = (group, name) => {
	switch (name) {
		case 'group-id':
			return [group.GroupId];
		case 'group-name':
			return [group.GroupName];
		case 'vpc-id':
			return [group.VpcId];
		case 'owner-id':
			return [group.OwnerId];
		case 'description':
			return [group.Description];
		default:
			return undefined;
	}
};

export const securityGroupRuleFilters: FilterValues = (rule, name) => {
	switch (name) {
		case 'group-id':
			return [rule.GroupId];
		case 'security-group-rule-id':
			return [rule.SecurityGroupRuleId];
		default:
			return undefined;
	}
};

export const networkAclFilters: FilterValues = (acl, name) => {
	switch (name) {
		case 'network-acl-id':
			return [acl.NetworkAclId];
		case 'vpc-id':
			return [acl.VpcId];
		case 'default':
			return [String(Boolean(acl.IsDefault))];
		case 'association.subnet-id':
			return list(acl.Associations, (association) => association.SubnetId);
		case 'association.network-acl-id':
			return list(acl.Associations, (association) => association.NetworkAclId);
		case 'association.association-id':
			return list(acl.Associations, (association) => association.NetworkAclAssociationId);
		default:
			return undefined;
	}
};

export const flowLogFilters: FilterValues = (flowLog, name) => {
	switch (name) {
		case 'resource-id':
			return [flowLog.ResourceId];
		case 'log-destination-type':
			return [flowLog.LogDestinationType ?? 'cloud-watch-logs'];
		case 'flow-log-id':
			return [flowLog.FlowLogId];
		case 'log-group-name':
			return [flowLog.LogGroupName];
		case 'traffic-type':
			return [flowLog.TrafficType];
		case 'deliver-log-status':
			return [flowLog.DeliverLogsStatus];
		default:
			return undefined;
	}
};

export const prefixListFilters: FilterValues = (prefixList, name) => {
	switch (name) {
		case 'prefix-list-id':
			return [prefixList.PrefixListId];
		case 'prefix-list-name':
			return [prefixList.PrefixListName];
		case 'owner-id':
			return [prefixList.OwnerId];
		default:
			return undefined;
	}
};

// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeRouteTables.html
export const routeTableFilters: FilterValues = (table, name) => {
	const routes = (pick: (route: Doc) => unknown) => list(table.Routes, pick);
	const associations = (pick: (association: Doc) => unknown) => list(table.Associations, pick);
	switch (name) {
		case 'route-table-id':
			return [table.RouteTableId];
		case 'vpc-id':
			return [table.VpcId];
		case 'owner-id':
			return [table.OwnerId];
		case 'association.route-table-association-id':
			return associations((association) => association.RouteTableAssociationId);
		case 'association.route-table-id':
			return associations((association) => association.RouteTableId);
		case 'association.subnet-id':
			return associations((association) => association.SubnetId);
		case 'association.gateway-id':
			return associations((association) => association.GatewayId);
		case 'association.main':
			// "Route tables that do not have an association ID are not returned": a table without
			// associations has no value, so it matches neither true nor false.
			return associations((association) => (association.RouteTableAssociationId ? String(Boolean(association.Main)) : undefined));
		case 'route.destination-cidr-block':
			return routes((route) => route.DestinationCidrBlock);
		case 'route.destination-ipv6-cidr-block':
			return routes((route) => route.DestinationIpv6CidrBlock);
		case 'route.destination-prefix-list-id':
			return routes((route) => route.DestinationPrefixListId);
		case 'route.egress-only-internet-gateway-id':
			return routes((route) => route.EgressOnlyInternetGatewayId);
		case 'route.gateway-id':
			return routes((route) => route.GatewayId);
		case 'route.instance-id':
			return routes((route) => route.InstanceId);
		case 'route.nat-gateway-id':
			return routes((route) => route.NatGatewayId);
		case 'route.transit-gateway-id':
			return routes((route) => route.TransitGatewayId);
		case 'route.vpc-peering-connection-id':
			return routes((route) => route.VpcPeeringConnectionId);
		case 'route.origin':
			return routes((route) => route.Origin);
		case 'route.state':
			return routes((route) => route.State);
		default:
			return undefined;
	}
};

// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeInternetGateways.html
export const internetGatewayFilters: FilterValues = (gateway, name) => {
	switch (name) {
		case 'internet-gateway-id':
			return [gateway.InternetGatewayId];
		case 'owner-id':
			return [gateway.OwnerId];
		case 'attachment.vpc-id':
			return list(gateway.Attachments, (attachment) => attachment.VpcId);
		case 'attachment.state':
			return list(gateway.Attachments, (attachment) => attachment.State);
		default:
			return undefined;
	}
};
