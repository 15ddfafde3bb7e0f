// "tasklist gave nothing: processes are shown by PID only" is said only when sockets really lack
// a name: a `netstat -nabo` listing names its processes itself, with or without tasklist.
import {describe, expect, it} from 'vitest';
import {acceptListing, emptyResult, noteUnnamedProcesses} from '../../source/remote/probe.js';

const NETSTAT_B = [
	'Active Connections',
	'',
	'  Proto  Local Address          Foreign Address        State           PID',
	'  TCP    0.0.0.0:3389           0.0.0.0:0              LISTENING       1032',
	'  TermService',
	' [svchost.exe]',
	'  TCP    0.0.0.0:5985           0.0.0.0:0              LISTENING       4',
	' Can not obtain ownership information',
	'  TCP    0.0.0.0:8443           0.0.0.0:0              LISTENING       2210',
	' [java.exe]',
].join('\r\n');

function probed(listing: string) {
	const result = emptyResult('i-1');
	acceptListing(result, 'netstat -nabo', listing, null);
	noteUnnamedProcesses(result);
	return result;
}

describe('the no-tasklist note', () => {
	it('is not shown when netstat -b named every socket', () => {
		const result = probed(NETSTAT_B.replace(' Can not obtain ownership information', ' [System]'));
		expect(result.listeners.map((listener) => listener.process)).toEqual(['svchost.exe', 'System', 'java.exe']);
		expect(result.notes).toEqual([]);
		expect(result.processNamesHidden).toBe(false);
	});

	it('counts the sockets left unnamed when only some are', () => {
		const result = probed(NETSTAT_B);
		expect(result.listeners.filter((listener) => listener.process === null).map((listener) => listener.port)).toEqual([5985]);
		expect(result.notes).toEqual(['`tasklist` gave nothing: 1 of 3 sockets are shown by PID only']);
		expect(result.processNamesHidden).toBe(true);
	});

	it('says PID only when netstat -nao named nothing', () => {
		const result = probed(NETSTAT_B.split('\r\n').filter((line) => !/^ (\[|\S)/.test(line) && !line.includes('TermService')).join('\r\n'));
		expect(result.notes).toEqual(['`tasklist` gave nothing: processes are shown by PID only']);
	});
});
