import {describe, expect, it} from 'vitest';
import {check} from '../../source/core/check.js';
import {EvidenceError} from '../../source/core/evidence-error.js';
import {parseListeners} from '../../source/core/listener-parser.js';
import type {CheckRequest, FlowRecord} from '../../source/core/types.js';
import {acl, egress, entry, eni, flowLog, group, host, instance, internetGateway, inventory, openAclEntries, publicRoutes, rule, webScene} from '../support/inventory-builder.js';

function request(extra: Partial<CheckRequest> = {}): CheckRequest {
	return {target: 'i-web', protocol: 'tcp', port: 443, source: {kind: 'address', address: '203.0.113.25'}, clientOs: 'linux', ...extra};
}

const webHost = host(['tcp', '0.0.0.0', 443, 'nginx'], ['tcp', '0.0.0.0', 22, 'sshd'], ['tcp', '127.0.0.1', 6379, 'redis-server'], ['tcp', '172.17.0.1', 9000, 'php-fpm']);

describe('check verdicts', () => {
	it('reachable when every layer allows, naming the deciding rules', () => {
		const result = check({inventory: webScene(), host: webHost, request: request()});
		expect(result.verdict).toBe('reachable');
		expect(result.problems).toEqual([]);
		expect(result.target).toMatchObject({eniId: 'eni-web', instanceId: 'i-web', privateIp: '10.0.1.10', subnetId: 'subnet-a'});
		expect(result.layers.securityGroup.status).toBe('allow');
		expect(result.layers.securityGroup.rules[0]).toMatchObject({kind: 'security-group', groupId: 'sg-web'});
		expect(result.layers.securityGroup.rules[0]!.text).toBe('sg-web (web) ingress tcp 443 from 0.0.0.0/0');
		expect(result.layers.naclInbound).toMatchObject({status: 'allow', aclId: 'acl-a'});
		expect(result.layers.naclInbound.rules).toMatchObject([{kind: 'network-acl', aclId: 'acl-a', ruleNumber: 100, egress: false}]);
		expect(result.layers.naclReturn.rules).toMatchObject([{ruleNumber: 100, egress: true}]);
		expect(result.layers.host.summary).toContain('nginx');
		expect(result.unknowns).toEqual([]);
	});

	it('a wildcard bound to one device (ss: 0.0.0.0%eth0) is reachable, and the verdict says it takes eth0 only', () => {
		const bound = {...parseListeners('tcp LISTEN 0 128 0.0.0.0%eth0:443 0.0.0.0:* users:(("nginx",pid=7,fd=3))'), source: 'test'};
		const result = check({inventory: webScene(), host: bound, request: request()});
		expect(result.verdict).toBe('reachable');
		expect(result.layers.host.summary).toBe('nginx (pid 7) on 0.0.0.0%eth0:443 (all addresses on eth0 only) accepts IPv4 connections from outside.');
		expect(result.notes).toContain('nginx (pid 7) on 0.0.0.0%eth0:443 is bound to device eth0 (SO_BINDTODEVICE): it answers only packets arriving on eth0; if eni-web is another device on i-web, nothing answers there');
		const loop = {...parseListeners('tcp LISTEN 0 128 *%lo:443 *:* users:(("nginx",pid=7,fd=3))'), source: 'test'};
		expect(check({inventory: webScene(), host: loop, request: request()}).verdict).toBe('loopback-only');
	});

	it('blocked-by-security-group with the narrowest authorize command (/32, one port)', () => {
		const result = check({inventory: webScene(), host: host(['tcp', '0.0.0.0', 8443, 'app']), request: request({port: 8443})});
		expect(result.verdict).toBe('blocked-by-security-group');
		expect(result.problems).toHaveLength(1);
		const problem = result.problems[0]!;
		expect(problem.layer).toBe('securityGroup');
		expect(problem.summary).toContain('No rule of sg-web allows tcp/8443 from 203.0.113.25');
		expect(problem.fix.command).toBe(
			`aws ec2 authorize-security-group-ingress --group-id sg-web --ip-permissions 'IpProtocol=tcp,FromPort=8443,ToPort=8443,IpRanges=[{CidrIp=203.0.113.25/32,Description="sgtui: tcp 8443 from 203.0.113.25"}]'`,
		);
		expect(problem.fix.warning).toBeUndefined();
		expect(JSON.stringify(result)).not.toContain('0.0.0.0/0,');
	});

	it('names the rules for the same port that allow other sources', () => {
		const result = check({inventory: webScene(), host: webHost, request: request({port: 22})});
		expect(result.verdict).toBe('blocked-by-security-group');
		expect(result.problems[0]!.summary).toContain('sg-web (web) ingress tcp 22 from 10.0.0.0/16');
		expect(result.problems[0]!.decidingRule).toMatchObject({kind: 'security-group', groupId: 'sg-web'});
	});

	it('blocked-by-nacl-inbound names the deny rule and puts the fix just in front of it', () => {
		const entries = [entry(90, 'deny', 'tcp', '203.0.113.0/24', [443, 443]), ...openAclEntries()];
		const result = check({inventory: webScene({entries}), host: webHost, request: request()});
		expect(result.verdict).toBe('blocked-by-nacl-inbound');
		const problem = result.problems[0]!;
		expect(problem.layer).toBe('naclInbound');
		expect(problem.decidingRule).toMatchObject({kind: 'network-acl', aclId: 'acl-a', ruleNumber: 90, action: 'deny'});
		expect(problem.fix.command).toBe(
			'aws ec2 create-network-acl-entry --network-acl-id acl-a --rule-number 80 --ingress --protocol tcp --port-range From=443,To=443 --cidr-block 203.0.113.25/32 --rule-action allow',
		);
	});

	it('a range denied by two rules: each entry goes in front of its own deny; what finds no free number is said, not dropped', () => {
		const entries = [entry(2, 'deny', 'all', '203.0.113.0/32'), entry(100, 'allow', 'tcp', '10.0.0.0/16', [443, 443]), entry(32767, 'deny', 'all', '0.0.0.0/0'), egress(entry(100, 'allow', 'all', '0.0.0.0/0'))];
		const result = check({inventory: webScene({entries}), host: webHost, request: request({source: {kind: 'cidr', cidr: '203.0.113.0/30'}})});
		expect(result.verdict).toBe('blocked-by-nacl-inbound');
		const commands = result.problems[0]!.fix.command!.split('\n');
		expect(commands).toEqual([
			'aws ec2 create-network-acl-entry --network-acl-id acl-a --rule-number 1 --ingress --protocol tcp --port-range From=443,To=443 --cidr-block 203.0.113.0/32 --rule-action allow',
			'aws ec2 create-network-acl-entry --network-acl-id acl-a --rule-number 110 --ingress --protocol tcp --port-range From=443,To=443 --cidr-block 203.0.113.1/32 --rule-action allow',
			'aws ec2 create-network-acl-entry --network-acl-id acl-a --rule-number 120 --ingress --protocol tcp --port-range From=443,To=443 --cidr-block 203.0.113.2/31 --rule-action allow',
		]);
		// .0 behind rule 2 and .1 behind rule 3: rule 1 is the only free number below either, so
		// rule 3 moves to 10 (nothing lies between 3 and 100) and the allow for .1 replaces it.
		const crowded = check({inventory: webScene({entries: [entry(3, 'deny', 'all', '203.0.113.1/32'), ...entries]}), host: webHost, request: request({source: {kind: 'cidr', cidr: '203.0.113.0/30'}})});
		const fix = crowded.problems[0]!.fix;
		expect(fix.command!.split('\n')).toEqual([
			'aws ec2 create-network-acl-entry --network-acl-id acl-a --rule-number 1 --ingress --protocol tcp --port-range From=443,To=443 --cidr-block 203.0.113.0/32 --rule-action allow',
			'aws ec2 create-network-acl-entry --network-acl-id acl-a --rule-number 110 --ingress --protocol tcp --port-range From=443,To=443 --cidr-block 203.0.113.2/31 --rule-action allow',
			'aws ec2 create-network-acl-entry --network-acl-id acl-a --rule-number 10 --ingress --protocol -1 --cidr-block 203.0.113.1/32 --rule-action deny',
			'aws ec2 replace-network-acl-entry --network-acl-id acl-a --rule-number 3 --ingress --protocol tcp --port-range From=443,To=443 --cidr-block 203.0.113.1/32 --rule-action allow',
		]);
		expect(fix.summary).toContain('copy rule 3 to rule 10');
	});

	it('a deny at rule 1 has no number in front of it: the fix moves it (copy to a free number before the next rule, then replace rule 1 with the allow)', () => {
		const entries = [entry(1, 'deny', 'tcp', '203.0.113.0/24', [443, 443]), ...openAclEntries()];
		const result = check({inventory: webScene({entries}), host: webHost, request: request()});
		expect(result.verdict).toBe('blocked-by-nacl-inbound');
		const fix = result.problems[0]!.fix;
		expect(fix.command!.split('\n')).toEqual([
			'aws ec2 create-network-acl-entry --network-acl-id acl-a --rule-number 10 --ingress --protocol tcp --port-range From=443,To=443 --cidr-block 203.0.113.0/24 --rule-action deny',
			'aws ec2 replace-network-acl-entry --network-acl-id acl-a --rule-number 1 --ingress --protocol tcp --port-range From=443,To=443 --cidr-block 203.0.113.25/32 --rule-action allow',
		]);
		expect(fix.summary).toContain('copy rule 1 to rule 10');
		expect(fix.summary).not.toContain('renumber');
	});

	it('a deny at rule 1 with rule 2 taken cannot move without renumbering more: said, no command', () => {
		const entries = [entry(1, 'deny', 'tcp', '203.0.113.0/24', [443, 443]), entry(2, 'allow', 'udp', '0.0.0.0/0', [53, 53]), ...openAclEntries()];
		const result = check({inventory: webScene({entries}), host: webHost, request: request()});
		const fix = result.problems[0]!.fix;
		expect(fix.command).toBeUndefined();
		expect(fix.summary).toContain('no free rule number below 1');
	});

	it('the catch-all * deny: the fix goes after the existing rules', () => {
		const entries = [entry(100, 'allow', 'tcp', '10.0.0.0/16', [443, 443]), entry(32767, 'deny', 'all', '0.0.0.0/0'), egress(entry(100, 'allow', 'all', '0.0.0.0/0'))];
		const result = check({inventory: webScene({entries}), host: webHost, request: request()});
		expect(result.verdict).toBe('blocked-by-nacl-inbound');
		expect(result.problems[0]!.decidingRule).toMatchObject({ruleNumber: 32767});
		expect(result.problems[0]!.decidingRule!.text).toContain('rule *');
		expect(result.problems[0]!.fix.command).toContain('--rule-number 110 --ingress');
	});

	it('an implicit * (no 32767 entry in the data) still denies', () => {
		const entries = [entry(100, 'allow', 'tcp', '10.0.0.0/16', [443, 443]), egress(entry(100, 'allow', 'all', '0.0.0.0/0'))];
		const result = check({inventory: webScene({entries}), host: webHost, request: request()});
		expect(result.layers.naclInbound.status).toBe('deny');
		expect(result.problems[0]!.decidingRule).toMatchObject({ruleNumber: 32767});
	});

	it('loopback-only: bind to 0.0.0.0, no security-group change', () => {
		const groups = [group('sg-web', 'web', [rule('tcp', 6379, '10.0.0.0/16')])];
		const result = check({inventory: webScene({groups}), host: webHost, request: request({port: 6379, source: {kind: 'address', address: '10.0.2.7'}})});
		expect(result.verdict).toBe('loopback-only');
		expect(result.problems).toHaveLength(1);
		expect(result.problems[0]!.summary).toContain('redis-server (pid 102) on 127.0.0.1:6379');
		expect(result.problems[0]!.fix.summary).toContain('Bind the service to 0.0.0.0 (or the instance\'s private IP 10.0.1.10) instead of 127.0.0.1');
		expect(result.problems[0]!.fix.command).toBeUndefined();
	});

	it('a loopback-only service behind a NACL deny: the NACL fix says binding comes first', () => {
		const entries = [entry(100, 'allow', 'tcp', '10.0.0.0/16', [443, 443]), egress(entry(100, 'allow', 'all', '0.0.0.0/0'))];
		const result = check({inventory: webScene({entries}), host: webHost, request: request({port: 6379, source: {kind: 'address', address: '10.0.2.7'}})});
		expect(result.problems.map((p) => p.layer)).toContain('host');
		const network = result.problems.filter((p) => p.layer !== 'host');
		expect(network.length).toBeGreaterThan(0);
		for (const problem of network) expect(problem.fix.warning).toMatch(/^The service on tcp\/6379 listens on loopback only: this change alone connects nothing\./);
	});

	it('a reachable-looking path with a listening service carries no such warning', () => {
		const result = check({inventory: webScene(), host: webHost, request: request({port: 22, source: {kind: 'any'}})});
		for (const problem of result.problems) expect(problem.fix.warning ?? '').not.toMatch(/connects nothing/);
	});

	it('a state that is none of EC2\'s makes the host layer unknown: not taken as running, nor as stopped', () => {
		const inv = webScene();
		inv.instances[0] = {...inv.instances[0]!, state: 'unknown', unrecognizedState: 'hibernated'};
		const result = check({inventory: inv, host: webHost, request: request()});
		expect(result.verdict).toBe('unknown');
		expect(result.layers.host).toMatchObject({status: 'unknown', summary: 'i-web reports the state "hibernated", which is none of EC2\'s (pending, running, shutting-down, terminated, stopping, stopped): cannot tell whether anything on it answers tcp 443'});
		expect(result.problems).toEqual([]);
	});

	it('a stopped instance answers nothing, whatever its last capture showed: not-listening, fixed by starting it', () => {
		const inv = webScene();
		inv.instances[0]!.state = 'stopped';
		const result = check({inventory: inv, host: webHost, request: request()});
		expect(result.verdict).toBe('not-listening');
		expect(result.layers.host.summary).toContain('i-web is stopped, not running');
		expect(result.problems[0]!.fix.command).toBe('aws ec2 start-instances --instance-ids i-web');
		inv.instances[0]!.state = 'terminated';
		const gone = check({inventory: inv, host: webHost, request: request()});
		expect(gone.verdict).toBe('not-listening');
		expect(gone.problems[0]!.fix).toEqual({summary: expect.stringContaining('cannot be started again') as string});
		inv.instances[0]!.state = 'running';
		expect(check({inventory: inv, host: webHost, request: request()}).verdict).toBe('reachable');
	});

	it('not-listening lists what does listen', () => {
		const result = check({inventory: webScene(), host: webHost, request: request({port: 8443, source: {kind: 'any'}})});
		expect(result.verdict).toBe('blocked-by-security-group');
		expect(result.problems.map((p) => p.layer)).toEqual(['securityGroup', 'host']);
		expect(result.problems[1]!.summary).toBe('Nothing listens on tcp 8443 on i-web (tcp ports listening from outside: 22, 443, 9000).');
		// The group fix comes first (the packet is dropped there), but it must not read as the cure.
		expect(result.problems[0]!.fix.warning).toMatch(/^Nothing listens on tcp\/8443 on the host: this change alone connects nothing\./);
		expect(result.problems[1]!.fix.warning ?? '').not.toContain('Nothing listens');
		const groups = [group('sg-web', 'web', [rule('tcp', 8443, '0.0.0.0/0')])];
		expect(check({inventory: webScene({groups}), host: webHost, request: request({port: 8443})}).verdict).toBe('not-listening');
	});

	it('a listener bound to another address is not-listening on the ENI', () => {
		const groups = [group('sg-web', 'web', [rule('tcp', 9000, '0.0.0.0/0')])];
		const result = check({inventory: webScene({groups}), host: webHost, request: request({port: 9000})});
		expect(result.verdict).toBe('not-listening');
		expect(result.problems[0]!.summary).toContain("not on eni-web's address 10.0.1.10");
		const bound = host(['tcp', '10.0.1.10', 9000, 'php-fpm']);
		expect(check({inventory: webScene({groups}), host: bound, request: request({port: 9000})}).verdict).toBe('reachable');
	});

	it('a Linux `::` listener accepts IPv4 (dual stack), a Windows one does not', () => {
		const v6 = host(['tcp', '::', 443, 'httpd']);
		expect(check({inventory: webScene(), host: v6, request: request()}).layers.host.status).toBe('allow');
		const windows = webScene();
		windows.instances[0]!.platform = 'windows';
		expect(check({inventory: windows, host: v6, request: request()}).verdict).toBe('not-listening');
	});

	it('blocked-by-nacl-return for a Linux client; a Windows client passes the same ACL', () => {
		// Outbound allows only 49152–65535: the Windows range, not Linux's 32768–60999.
		const entries = [entry(100, 'allow', 'all', '0.0.0.0/0'), egress(entry(100, 'allow', 'tcp', '0.0.0.0/0', [49152, 65535]))];
		const linux = check({inventory: webScene({entries}), host: webHost, request: request()});
		expect(linux.verdict).toBe('blocked-by-nacl-return');
		expect(linux.layers.naclReturn.status).toBe('partial');
		const problem = linux.problems[0]!;
		expect(problem.layer).toBe('naclReturn');
		expect(problem.summary).toContain('fail intermittently');
		expect(problem.summary).toContain('tcp ports 32768–49151 to 203.0.113.25 by rule *');
		expect(problem.fix.command).toBe(
			'aws ec2 create-network-acl-entry --network-acl-id acl-a --rule-number 110 --egress --protocol tcp --port-range From=32768,To=49151 --cidr-block 203.0.113.25/32 --rule-action allow',
		);
		const windows = check({inventory: webScene({entries}), host: webHost, request: request({clientOs: 'windows'})});
		expect(windows.verdict).toBe('reachable');
		expect(windows.layers.naclReturn.status).toBe('allow');
	});

	it('a return path denied for the whole range, and a NAT client range', () => {
		const entries = [entry(100, 'allow', 'all', '0.0.0.0/0'), egress(entry(100, 'allow', 'tcp', '0.0.0.0/0', [443, 443]))];
		const result = check({inventory: webScene({entries}), host: webHost, request: request({clientOs: 'nat'})});
		expect(result.verdict).toBe('blocked-by-nacl-return');
		expect(result.layers.naclReturn.status).toBe('deny');
		expect(result.problems[0]!.summary).toContain('drops the reply');
		expect(result.problems[0]!.fix.command).toContain('--egress --protocol tcp --port-range From=1024,To=65535 --cidr-block 203.0.113.25/32');
	});

	it('lists every blocking layer in path order; the verdict is the first', () => {
		const entries = [entry(100, 'deny', 'all', '0.0.0.0/0'), egress(entry(100, 'deny', 'all', '0.0.0.0/0'))];
		const result = check({inventory: webScene({entries}), host: webHost, request: request({port: 6379})});
		expect(result.verdict).toBe('blocked-by-nacl-inbound');
		expect(result.problems.map((p) => p.layer)).toEqual(['naclInbound', 'securityGroup', 'host', 'naclReturn']);
		for (const problem of result.problems) expect(problem.fix.summary.length).toBeGreaterThan(10);
	});

	it('unknown when the listener capture is missing, and says so', () => {
		const result = check({inventory: webScene(), host: null, request: request({port: 443})});
		expect(result.verdict).toBe('unknown');
		expect(result.layers.host.status).toBe('unknown');
		expect(result.unknowns).toContain('no listener capture for i-web: cannot tell whether anything listens on tcp 443 (save one as hosts/i-web.txt)');
		// A missing capture does not hide a known block.
		expect(check({inventory: webScene(), host: null, request: request({port: 8443})}).verdict).toBe('blocked-by-security-group');
	});

	it('unknown when network ACLs were not captured', () => {
		const inv = webScene();
		inv.known.networkAcls = false;
		inv.networkAcls = [];
		const result = check({inventory: inv, host: webHost, request: request()});
		expect(result.verdict).toBe('unknown');
		expect(result.layers.naclInbound.status).toBe('unknown');
		expect(result.unknowns[0]).toContain('network ACLs were not captured');
	});

	it('a subnet without an explicit association uses the VPC default ACL', () => {
		const inv = webScene();
		inv.networkAcls = [
			acl('acl-other', ['subnet-b'], [entry(100, 'deny', 'all', '0.0.0.0/0')]),
			acl('acl-default', [], [entry(100, 'deny', 'tcp', '0.0.0.0/0', [443, 443]), ...openAclEntries()], {isDefault: true}),
		];
		const result = check({inventory: inv, host: webHost, request: request()});
		expect(result.layers.naclInbound.aclId).toBe('acl-default');
		expect(result.layers.naclInbound.summary).toContain("VPC's default ACL applies");
		expect(result.verdict).toBe('blocked-by-nacl-inbound');
	});
});

describe('malformed CIDRs in the evidence (hostile or hand-written data; EC2 never sends them)', () => {
	it('a security-group rule whose peer is no CIDR makes the answer unknown, never a crash; another rule still allows', () => {
		const inv = webScene({groups: [group('sg-web', 'web', [{...rule('tcp', 443, '0.0.0.0/0'), peer: {kind: 'cidr4', cidr: 'garbage/99'}}])]});
		const result = check({inventory: inv, host: webHost, request: request()});
		expect(result.layers.securityGroup.status).toBe('unknown');
		expect(result.unknowns.join('\n')).toContain('"garbage/99" is not a CIDR');
		inv.securityGroups[0]!.ingress.push({...rule('tcp', 443, '0.0.0.0/0'), groupId: 'sg-web'});
		expect(check({inventory: inv, host: webHost, request: request()}).verdict).toBe('reachable');
	});

	it('a NACL entry whose block is no CIDR: a one-line EvidenceError naming the ACL and rule', () => {
		const inv = webScene({entries: [{...entry(1, 'deny', 'all', '0.0.0.0/0'), cidr: '1.2.3.4/77'}, ...openAclEntries()]});
		expect(() => check({inventory: inv, host: webHost, request: request()})).toThrow(new EvidenceError('acl-a rule 1 (inbound): "1.2.3.4/77" is not a CIDR'));
	});
});

describe('check sources', () => {
	it('source any = the whole internet: the fix says 0.0.0.0/0 and warns', () => {
		const result = check({inventory: webScene(), host: host(['tcp', '0.0.0.0', 8443]), request: request({port: 8443, source: {kind: 'any'}})});
		expect(result.sourceDescription).toBe('anywhere (0.0.0.0/0)');
		expect(result.problems[0]!.fix.command).toContain('CidrIp=0.0.0.0/0');
		expect(result.problems[0]!.fix.warning).toContain('whole internet');
	});

	it('source any is not reachable when only part of the internet is allowed', () => {
		const result = check({inventory: webScene(), host: webHost, request: request({port: 22, source: {kind: 'any'}})});
		expect(result.layers.securityGroup.status).toBe('partial');
		expect(result.verdict).toBe('blocked-by-security-group');
		expect(result.problems[0]!.fix.warning).toBeDefined();
	});

	it('a CIDR source partly allowed: the fix covers only the missing part', () => {
		const result = check({inventory: webScene(), host: webHost, request: request({port: 22, source: {kind: 'cidr', cidr: '10.0.0.0/15'}})});
		// 10.0.0.0/16 is allowed, 10.1.0.0/16 is not.
		expect(result.layers.securityGroup.status).toBe('partial');
		expect(result.problems[0]!.fix.command).toContain('IpRanges=[{CidrIp=10.1.0.0/16,');
		expect(result.problems[0]!.summary).toBe('Only 10.0.0.0/16 is allowed (sg-web (web) ingress tcp 22 from 10.0.0.0/16); 10.1.0.0/16 is not.');
		expect(result.problems[0]!.fix.command).not.toContain('0.0.0.0/0');
	});

	it('an IPv6 source gets a /128 fix in Ipv6Ranges and an --ipv6-cidr-block NACL entry', () => {
		const entries = [entry(100, 'allow', 'all', '0.0.0.0/0'), egress(entry(100, 'allow', 'all', '0.0.0.0/0'))];
		const result = check({inventory: webScene({entries}), host: host(['tcp', '::', 8443, 'app']), request: request({port: 8443, source: {kind: 'address', address: '2001:db8:ff::25'}})});
		expect(result.verdict).toBe('blocked-by-nacl-inbound');
		expect(result.problems.map((p) => p.layer)).toEqual(['naclInbound', 'securityGroup', 'naclReturn']);
		expect(result.problems[0]!.fix.command).toContain('--ipv6-cidr-block 2001:db8:ff::25/128');
		expect(result.problems[1]!.fix.command).toContain('Ipv6Ranges=[{CidrIpv6=2001:db8:ff::25/128,');
	});

	it('a security-group source: allowed by a group reference; fixed with UserIdGroupPairs', () => {
		const groups = [group('sg-web', 'web', [rule('tcp', 443, 'sg-lb'), rule('tcp', 22, '10.0.0.0/16')]), group('sg-lb', 'lb', [])];
		const inv = webScene({groups: groups.slice(0, 1)});
		inv.securityGroups.push(groups[1]!);
		inv.networkInterfaces.push(eni('eni-lb', {privateIps: ['10.0.1.50'], groupIds: ['sg-lb'], interfaceType: 'network_load_balancer'}));
		const allowed = check({inventory: inv, host: webHost, request: request({source: {kind: 'group', groupId: 'sg-lb'}})});
		expect(allowed.verdict).toBe('reachable');
		expect(allowed.sourceDescription).toBe('members of sg-lb (lb) (1 address)');
		const blocked = check({inventory: inv, host: webHost, request: request({port: 22, source: {kind: 'group', groupId: 'sg-lb'}})});
		expect(blocked.verdict).toBe('reachable'); // 22 is allowed from 10.0.0.0/16, which holds 10.0.1.50
		inv.securityGroups[0]!.ingress = [];
		const none = check({inventory: inv, host: webHost, request: request({port: 443, source: {kind: 'group', groupId: 'sg-lb'}})});
		expect(none.verdict).toBe('blocked-by-security-group');
		expect(none.problems[0]!.fix.command).toBe(
			`aws ec2 authorize-security-group-ingress --group-id sg-web --ip-permissions 'IpProtocol=tcp,FromPort=443,ToPort=443,UserIdGroupPairs=[{GroupId=sg-lb,Description="sgtui: tcp 443 from sg-lb"}]'`,
		);
	});

	it('a referenced group stands for private IPs, never public ones', () => {
		const groups = [group('sg-web', 'web', [rule('tcp', 443, 'sg-app')]), group('sg-app', 'app', [])];
		const inv = webScene({groups});
		inv.networkInterfaces[0]!.groupIds = ['sg-web'];
		inv.networkInterfaces.push(eni('eni-app', {instanceId: 'i-app', privateIps: ['10.0.2.20'], publicIp: '198.51.100.7', groupIds: ['sg-app']}));
		expect(check({inventory: inv, host: webHost, request: request({source: {kind: 'address', address: '10.0.2.20'}})}).verdict).toBe('reachable');
		expect(check({inventory: inv, host: webHost, request: request({source: {kind: 'address', address: '198.51.100.7'}})}).verdict).toBe('blocked-by-security-group');
	});

	it('a prefix list whose entries were not captured makes the SG layer unknown', () => {
		const groups = [group('sg-web', 'web', [rule('tcp', 443, 'pl-123')])];
		const inv = webScene({groups});
		inv.prefixLists = [{id: 'pl-123', name: 'office', addressFamily: 'IPv4', cidrs: null}];
		const result = check({inventory: inv, host: webHost, request: request()});
		expect(result.verdict).toBe('unknown');
		expect(result.layers.securityGroup.status).toBe('unknown');
		expect(result.unknowns.join(' ')).toContain('the entries of prefix list pl-123 were not captured');
		inv.prefixLists[0]!.cidrs = ['203.0.113.0/24'];
		expect(check({inventory: inv, host: webHost, request: request()}).verdict).toBe('reachable');
	});

	it('ICMP echo: type 8 in, echo reply (type 0) out; no listener needed', () => {
		const groups = [group('sg-web', 'web', [rule('icmp', [8, -1], '203.0.113.0/24')])];
		const entries = [entry(100, 'allow', 'icmp', '0.0.0.0/0', null, {icmp: {type: 8, code: -1}}), egress(entry(100, 'allow', 'icmp', '0.0.0.0/0', null, {icmp: {type: 3, code: -1}}))];
		const result = check({inventory: webScene({groups, entries}), host: null, request: request({protocol: 'icmp', port: 8})});
		expect(result.layers.securityGroup.status).toBe('allow');
		expect(result.layers.host.status).toBe('allow');
		expect(result.verdict).toBe('blocked-by-nacl-return');
		expect(result.problems[0]!.fix.command).toBe(
			'aws ec2 create-network-acl-entry --network-acl-id acl-a --rule-number 110 --egress --protocol icmp --icmp-type-code Type=0,Code=0 --cidr-block 203.0.113.25/32 --rule-action allow',
		);
		const sgBlocked = check({inventory: webScene({groups: [group('sg-web', 'web', [rule('icmp', [0, -1], '0.0.0.0/0')])]}), host: null, request: request({protocol: 'icmp', port: 8})});
		expect(sgBlocked.problems[0]!.fix.command).toContain("IpProtocol=icmp,FromPort=8,ToPort=0,IpRanges=[{CidrIp=203.0.113.25/32");
		// The fix is for the checked type and code (echo request is type 8 code 0), not every code of the type.
		const naclBlocked = check({inventory: webScene({groups, entries: openAclEntries().filter((e) => e.egress)}), host: null, request: request({protocol: 'icmp', port: 8})});
		expect(naclBlocked.problems[0]!.fix.command).toContain('--ingress --protocol icmp --icmp-type-code Type=8,Code=0 --cidr-block 203.0.113.25/32');
	});
});

describe('check targets', () => {
	it('an instance id resolves to its primary (first) ENI; an ENI id to itself', () => {
		const inv = webScene();
		inv.networkInterfaces.push(eni('eni-second', {instanceId: 'i-web', privateIps: ['10.0.1.11'], publicIp: '198.51.100.11', groupIds: []}));
		inv.instances[0]!.networkInterfaceIds = ['eni-web', 'eni-second'];
		const primary = check({inventory: inv, host: webHost, request: request()});
		expect(primary.target.eniId).toBe('eni-web');
		expect(primary.notes).toContain('i-web has 2 network interfaces; this checks its primary, eni-web: for a client using an address of another, check eni-second instead');
		expect(check({inventory: webScene(), host: webHost, request: request()}).notes.join('\n')).not.toContain('network interfaces;');
		const second = check({inventory: inv, host: webHost, request: request({target: 'eni-second'})});
		expect(second.target).toMatchObject({eniId: 'eni-second', instanceId: 'i-web'});
		expect(second.notes.join('\n')).not.toContain('network interfaces;');
		expect(second.verdict).toBe('blocked-by-security-group');
		expect(second.problems[0]!.summary).toBe('The network interface carries no security group, so nothing is allowed in.');
		expect(second.problems[0]!.fix.summary).toBe('eni-second carries no security group: attach one that allows tcp/443 from 203.0.113.25.');
	});

	it('--from another ENI\'s public IP: evaluated as that address through the internet gateway, with a note naming the ENI and its private address', () => {
		const inv = webScene();
		inv.networkInterfaces.push(eni('eni-app', {instanceId: 'i-app', subnetId: 'subnet-b', privateIps: ['10.0.2.7'], publicIp: '198.51.100.77', groupIds: ['sg-app']}));
		const result = check({inventory: inv, host: webHost, request: request({port: 22, source: {kind: 'address', address: '198.51.100.77'}})});
		expect(result.verdict).toBe('blocked-by-security-group');
		expect(result.problems[0]!.fix.command).toContain('CidrIp=198.51.100.77/32');
		expect(result.layers.clientSecurityGroup.notEvaluated).toBe(true);
		const note = result.notes.find((text) => text.includes('eni-app'));
		expect(note).toBe('198.51.100.77 is the public IP of eni-app (i-app): checked as that address arriving through the internet gateway, which is what the security groups see when the client connects to a public address; if it connects to the target\'s private address 10.0.1.10 instead, they see its private IP as the source: check --from 10.0.2.7');
		// Its private address is that ENI as a client of the snapshot: no such note.
		const inside = check({inventory: inv, host: webHost, request: request({port: 22, source: {kind: 'address', address: '10.0.2.7'}})});
		expect(inside.notes.join(' ')).not.toContain('public IP of');
	});

	it('a link-local source is refused: no VPC route or rule carries it to another interface', () => {
		expect(() => check({inventory: webScene(), host: null, request: request({source: {kind: 'address', address: 'fe80::1%eth0'}})})).toThrow(/^source "fe80::1%eth0" is link-local \(fe80::\/10\)/);
		expect(() => check({inventory: webScene(), host: null, request: request({source: {kind: 'address', address: '169.254.169.254'}})})).toThrow(EvidenceError);
		expect(() => check({inventory: webScene(), host: null, request: request({source: {kind: 'address', address: '2001:db8::1%eth0'}})})).toThrow(/has a zone/);
	});

	it('unknown ids throw a one-line EvidenceError', () => {
		expect(() => check({inventory: webScene(), host: null, request: request({target: 'i-nope'})})).toThrow(new EvidenceError('instance i-nope is not in the snapshot (1 instances known)'));
		expect(() => check({inventory: webScene(), host: null, request: request({target: 'eni-nope'})})).toThrow(EvidenceError);
		expect(() => check({inventory: webScene(), host: null, request: request({target: 'vpc-1'})})).toThrow(/neither an instance id/);
	});

	it('an ENI that is no instance: the host layer is unknown', () => {
		const inv = webScene();
		inv.networkInterfaces.push(eni('eni-rds', {privateIps: ['10.0.1.99'], groupIds: ['sg-web'], interfaceType: 'interface', description: 'RDSNetworkInterface'}));
		const result = check({inventory: inv, host: null, request: request({target: 'eni-rds'})});
		expect(result.layers.host.status).toBe('unknown');
		expect(result.unknowns[0]).toContain('eni-rds is not attached to an instance');
	});

	it('an instance without saved ENIs still resolves through its own subnet and groups', () => {
		const inv = inventory({
			instances: [instance('i-x', [], {privateIp: '10.0.1.5', publicIp: '198.51.100.5', subnetId: 'subnet-a', groupIds: ['sg-web']})],
			securityGroups: [group('sg-web', 'web', [rule('tcp', 443, '0.0.0.0/0')])],
			networkAcls: [acl('acl-a', ['subnet-a'], openAclEntries())],
			routeTables: publicRoutes(),
			internetGateways: [internetGateway('igw-1')],
			known: {networkInterfaces: false},
		});
		const result = check({inventory: inv, host: host(['tcp', '0.0.0.0', 443]), request: request({target: 'i-x'})});
		expect(result.verdict).toBe('reachable');
		expect(result.target.privateIp).toBe('10.0.1.5');
	});
});

describe('observed flows', () => {
	const base = {version: 2, accountId: '111122223333', interfaceId: 'eni-web', packets: 3, bytes: 180, logStatus: 'OK'} as const;
	const rec = (r: Partial<FlowRecord>): FlowRecord => ({...base, ...r});

	it('counts REJECTs from the source to the port, with first/last seen', () => {
		const flows = [
			rec({srcAddr: '203.0.113.25', dstAddr: '10.0.1.10', srcPort: 50000, dstPort: 8443, protocol: 6, start: 1000, end: 1060, action: 'REJECT'}),
			rec({srcAddr: '203.0.113.25', dstAddr: '10.0.1.10', srcPort: 50001, dstPort: 8443, protocol: 6, start: 1100, end: 1160, action: 'REJECT'}),
			rec({srcAddr: '198.51.100.1', dstAddr: '10.0.1.10', srcPort: 50001, dstPort: 8443, protocol: 6, start: 1100, end: 1160, action: 'REJECT'}),
			rec({srcAddr: '203.0.113.25', dstAddr: '10.0.1.10', srcPort: 50001, dstPort: 22, protocol: 6, start: 1100, end: 1160, action: 'REJECT'}),
			rec({interfaceId: 'eni-other', srcAddr: '203.0.113.25', dstAddr: '10.0.1.10', srcPort: 1, dstPort: 8443, protocol: 6, action: 'REJECT'}),
			rec({logStatus: 'NODATA'}),
		];
		const result = check({inventory: webScene(), host: webHost, request: request({port: 8443}), flows});
		expect(result.observed.available).toBe(true);
		expect(result.observed.rejects).toMatchObject({count: 2, packets: 6, first: 1000, last: 1160, sources: [{address: '203.0.113.25', count: 2}]});
		expect(result.observed.rejectsFromOthers).toBe(1);
		expect(result.observed.findings[0]).toContain('2 inbound REJECT record(s) for tcp/8443 from 203.0.113.25');
	});

	it('an inbound ACCEPT whose reply is REJECTed points at the NACL return path', () => {
		const flows = [
			rec({srcAddr: '203.0.113.25', dstAddr: '10.0.1.10', srcPort: 40000, dstPort: 443, protocol: 6, start: 1000, end: 1060, action: 'ACCEPT'}),
			rec({srcAddr: '10.0.1.10', dstAddr: '203.0.113.25', srcPort: 443, dstPort: 40000, protocol: 6, start: 1000, end: 1060, action: 'REJECT'}),
		];
		const result = check({inventory: webScene(), host: webHost, request: request(), flows});
		expect(result.observed.accepts.count).toBe(1);
		expect(result.observed.returnRejects).toMatchObject({count: 1, clients: ['203.0.113.25']});
		expect(result.observed.findings[0]).toContain('the NACL drops the return traffic');
	});

	it('says why nothing is shown without records', () => {
		const inv = webScene();
		expect(check({inventory: inv, host: webHost, request: request()}).observed).toMatchObject({available: false, note: expect.stringContaining('no flow log covers eni-web')});
		inv.flowLogs = [flowLog('vpc-1', {trafficType: 'ACCEPT'})];
		expect(check({inventory: inv, host: webHost, request: request()}).observed.note).toContain('records ACCEPT only');
	});
});

// Found by QA on the demo snapshot: a wide source used to get its complement as the fix (dozens of
// CIDRs, only the first 8-10 printed), address splits were called "intermittent", typos in
// --from sg-… were answered with "unknown".
describe('check fixes for wide sources', () => {
	const count = (text: string | undefined, needle: string) => (text ?? '').split(needle).length - 1;

	it('the whole internet, partly allowed: one 0.0.0.0/0 rule with a warning, not the complement', () => {
		const result = check({inventory: webScene(), host: webHost, request: request({port: 22, source: {kind: 'any'}})});
		const fix = result.problems[0]!.fix;
		expect(count(fix.command, 'CidrIp=')).toBe(1);
		expect(fix.command).toContain('CidrIp=0.0.0.0/0,');
		expect(fix.summary).not.toContain('more ranges not shown');
		expect(fix.warning).toContain('whole internet');
		// The denied part is the world but the allowed rule's sources: named by its holes, not 30 CIDRs.
		expect(result.problems[0]!.summary).toMatch(/; 0\.0\.0\.0\/0 except [^;]+ (is|are) not\.$/);
	});

	it('the whole internet through a NACL that allows part of it: one entry per port range, in front of the deny', () => {
		const entries = [entry(100, 'allow', 'tcp', '10.0.0.0/16', [443, 443]), egress(entry(100, 'allow', 'all', '0.0.0.0/0'))];
		const result = check({inventory: webScene({entries}), host: webHost, request: request({source: {kind: 'any'}})});
		expect(result.verdict).toBe('blocked-by-nacl-inbound');
		const fix = result.problems[0]!.fix;
		expect(fix.command).toBe('aws ec2 create-network-acl-entry --network-acl-id acl-a --rule-number 110 --ingress --protocol tcp --port-range From=443,To=443 --cidr-block 0.0.0.0/0 --rule-action allow');
		expect(fix.summary).not.toContain('more ranges not shown');
		expect(fix.warning).toContain('whole internet');
	});

	it('a CIDR source whose denied part takes many CIDRs is allowed as given (never wider)', () => {
		const groups = [group('sg-web', 'web', [rule('tcp', 22, '10.0.0.0/24')])];
		const result = check({inventory: webScene({groups}), host: webHost, request: request({port: 22, source: {kind: 'cidr', cidr: '10.0.0.0/8'}})});
		const fix = result.problems[0]!.fix;
		expect(count(fix.command, 'CidrIp=')).toBe(1);
		expect(fix.command).toContain('CidrIp=10.0.0.0/8,');
		expect(fix.warning).toBeUndefined();
		expect(JSON.stringify(result.problems)).not.toContain('0.0.0.0/0');
	});

	it('a NACL return path split by address is not called intermittent; one split by port is', () => {
		const byAddress = [...openAclEntries().filter((e) => !e.egress), egress(entry(100, 'allow', 'tcp', '10.0.0.0/16', [1024, 65535]))];
		const address = check({inventory: webScene({entries: byAddress}), host: webHost, request: request({source: {kind: 'cidr', cidr: '10.0.0.0/15'}})});
		expect(address.verdict).toBe('blocked-by-nacl-return');
		expect(address.problems[0]!.summary).not.toContain('intermittently');
		expect(address.problems[0]!.summary).toContain('replies to 10.1.0.0/16 are dropped');
		const byPort = [...openAclEntries().filter((e) => !e.egress), egress(entry(100, 'allow', 'tcp', '0.0.0.0/0', [1024, 40000]))];
		const port = check({inventory: webScene({entries: byPort}), host: webHost, request: request()});
		expect(port.problems[0]!.summary).toContain('intermittently');
	});

	it('a source group the snapshot does not know is an evidence error; a known empty one is unknown, said once', () => {
		expect(() => check({inventory: webScene(), host: webHost, request: request({source: {kind: 'group', groupId: 'sg-typo'}})})).toThrow(
			new EvidenceError('security group sg-typo is not in the snapshot (1 security groups known)'),
		);
		const groups = [group('sg-web', 'web', [rule('tcp', 443, '0.0.0.0/0')]), group('sg-empty', 'empty', [])];
		const result = check({inventory: webScene({groups, eni: {groupIds: ['sg-web']}}), host: webHost, request: request({source: {kind: 'group', groupId: 'sg-empty'}})});
		expect(result.verdict).toBe('unknown');
		expect(result.unknowns.length).toBe(new Set(result.unknowns).size);
	});

	it('without DescribeInstances an instance id resolves through the ENI that names it', () => {
		const scene = webScene();
		const noInstances = {...scene, instances: [], known: {...scene.known, instances: false}};
		const result = check({inventory: noInstances, host: webHost, request: request()});
		expect(result.verdict).toBe('reachable');
		expect(result.target).toMatchObject({eniId: 'eni-web', instanceId: 'i-web'});
		const nothing = {...noInstances, networkInterfaces: [], known: {...noInstances.known, networkInterfaces: false}};
		expect(() => check({inventory: nothing, host: webHost, request: request()})).toThrow(/i-web cannot be found: the snapshot has no instances \(aws\/describe-instances\.json\) nor network interfaces/);
	});
});

describe('check targets and families QA found wrong', () => {
	it('a NAT gateway interface has no security groups: not a deny, and no "attach one" fix', () => {
		const scene = webScene();
		const nat = eni('eni-nat', {interfaceType: 'nat_gateway', groupIds: [], privateIps: ['10.0.1.200'], publicIp: '198.51.100.200', instanceId: null});
		const result = check({inventory: {...scene, networkInterfaces: [...scene.networkInterfaces, nat]}, host: null, request: request({target: 'eni-nat'})});
		expect(result.layers.securityGroup.status).toBe('allow');
		expect(result.layers.securityGroup.summary).toBe('eni-nat is a nat gateway interface: it has no security groups, so only the network ACL filters its traffic.');
		expect(result.problems).toEqual([]);
		expect(result.verdict).toBe('unknown');
	});

	it('an IPv6 client and a service on 0.0.0.0 only: IPv4 only, listen on [::] too (not "bind to 0.0.0.0")', () => {
		const groups = [group('sg-web', 'web', [rule('tcp', 8443, '::/0')])];
		const entries = [entry(100, 'allow', 'all', '::/0'), egress(entry(100, 'allow', 'all', '::/0'))];
		const result = check({inventory: webScene({groups, entries}), host: host(['tcp', '0.0.0.0', 8443, 'nginx']), request: request({port: 8443, source: {kind: 'address', address: '2001:db8:ff::25'}})});
		expect(result.verdict).toBe('not-listening');
		expect(result.layers.host.summary).toBe('Only nginx (pid 100) on 0.0.0.0:8443 listens on tcp 8443: it takes IPv4 only, and the client connects over IPv6.');
		expect(result.problems[0]!.fix.summary).toBe('Make the service also listen on [::] (all IPv6 addresses, or 2001:db8:1::10) so it accepts IPv6 connections.');
	});

	it('an IPv6 client to an interface without an IPv6 address is told so', () => {
		const result = check({inventory: webScene({eni: {ipv6Addresses: []}}), host: webHost, request: request({source: {kind: 'address', address: '2001:db8:ff::25'}})});
		expect(result.notes).toContain('eni-web has no IPv6 address, so IPv6 clients cannot reach it whatever the rules say: assign one (its subnet needs an IPv6 CIDR) or have clients use IPv4 198.51.100.10');
	});
});
