// The route-layer audit finding: only where it is certain.
import {describe, expect, it} from 'vitest';
import {audit} from '../../source/core/audit.js';
import {internetGateway, route, routeTable, VPC_LOCAL, webScene} from '../support/inventory-builder.js';

const kinds = (inv: ReturnType<typeof webScene>) => audit(inv, {}).filter((f) => f.kind === 'public-subnet-no-public-address');

describe('public subnet, world-open rule, no public address', () => {
	it('is found when the subnet\'s default route goes to an attached internet gateway and the ENI has no public IPv4', () => {
		const findings = kinds(webScene({eni: {publicIp: null}}));
		expect(findings).toHaveLength(1);
		expect(findings[0]).toMatchObject({severity: 'low', eniIds: ['eni-web'], groupId: 'sg-web'});
		expect(findings[0]!.message).toContain('rtb-main: 0.0.0.0/0 → igw-1');
		expect(findings[0]!.message).toContain('sg-web (web) ingress tcp 443 from 0.0.0.0/0');
	});

	it('is not found with a public address, in a private subnet, without a world-open rule, or without route tables', () => {
		expect(kinds(webScene())).toEqual([]);
		expect(kinds(webScene({eni: {publicIp: null}, routeTables: [routeTable('rtb-p', [], [...VPC_LOCAL, route('0.0.0.0/0', 'nat-1')], {main: true})]}))).toEqual([]);
		const onlyVpc = webScene({eni: {publicIp: null}});
		onlyVpc.securityGroups[0]!.ingress = onlyVpc.securityGroups[0]!.ingress.filter((rule) => rule.peer.kind !== 'cidr4' || rule.peer.cidr !== '0.0.0.0/0');
		expect(kinds(onlyVpc)).toEqual([]);
		const detached = webScene({eni: {publicIp: null}});
		detached.internetGateways = [internetGateway('igw-1', [])];
		expect(kinds(detached)).toEqual([]);
		const unknown = webScene({eni: {publicIp: null}});
		unknown.known.routeTables = false;
		expect(kinds(unknown)).toEqual([]);
	});
});
