// The Rules tab's route-table section: the subnet's table, most specific route first, the route
// that decides internet traffic marked with what it means for the ENI.
import {describe, expect, it} from 'vitest';
import {ruleRows} from '../../source/ui/rule-rows.js';
import {prefixList, route, routeTable, VPC_LOCAL, webScene} from '../support/inventory-builder.js';

describe('route rows', () => {
	it('a public subnet whose ENI has no public address: the default route is marked and warns', () => {
		const inv = webScene({routeTables: [routeTable('rtb-a', ['subnet-a'], [...VPC_LOCAL, route('0.0.0.0/0', 'igw-1'), route('192.0.2.0/24', 'pcx-1'), route('198.51.100.0/24', 'nat-1', 'blackhole')])], eni: {publicIp: null}});
		const rows = ruleRows(inv, inv.networkInterfaces[0]!, []).filter((row) => row.kind !== 'rule' || row.layer === 'route');
		const heading = rows.find((row) => row.kind === 'heading' && row.text.startsWith('Route table'));
		expect(heading).toMatchObject({text: 'Route table rtb-a', detail: 'associated with subnet-a · most specific route wins'});
		const routes = rows.filter((row) => row.kind === 'rule');
		expect(routes.map((row) => row.kind === 'rule' && [row.what, row.peer, row.label, row.action])).toEqual([
			['2001:db8:1::/56', 'local', '', 'allow'],
			['192.0.2.0/24', 'pcx-1', '', 'allow'],
			['198.51.100.0/24', 'nat-1', '', 'deny'],
			['10.0.0.0/16', 'local', '', 'allow'],
			['0.0.0.0/0', 'igw-1', '▶', 'allow'],
		]);
		const igw = routes.at(-1)!;
		expect(igw).toMatchObject({tone: 'warn'});
		expect(igw.kind === 'rule' && igw.note).toContain('has no public IPv4');
	});

	it('a gateway endpoint route says it carries only VPC-to-service traffic, not "far side out of sight"', () => {
		const inv = webScene({routeTables: [routeTable('rtb-a', ['subnet-a'], [...VPC_LOCAL, route('0.0.0.0/0', 'igw-1'), route('pl-s3', 'vpce-0123456789abcdef0')])]});
		inv.prefixLists = [{...prefixList('pl-s3', ['52.216.0.0/15']), name: 'com.amazonaws.us-east-1.s3'}];
		const endpoint = ruleRows(inv, inv.networkInterfaces[0]!, []).find((row) => row.kind === 'rule' && row.layer === 'route' && row.peer.startsWith('vpce-'));
		expect(endpoint).toMatchObject({what: 'pl-s3', note: 'gateway endpoint: only traffic from the VPC to the service (com.amazonaws.us-east-1.s3), nothing from outside'});
	});

	it('the main table when the subnet has no association; a note when route tables were not captured', () => {
		const inv = webScene();
		expect(ruleRows(inv, inv.networkInterfaces[0]!, []).find((row) => row.kind === 'heading' && row.text.startsWith('Route table'))).toMatchObject({detail: 'main table, serving subnet-a · most specific route wins'});
		inv.known.routeTables = false;
		expect(ruleRows(inv, inv.networkInterfaces[0]!, []).at(-1)).toMatchObject({kind: 'note', tone: 'warn'});
	});
});
