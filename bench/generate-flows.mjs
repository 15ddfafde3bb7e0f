#!/usr/bin/env node
// Writes deterministic, realistic VPC Flow Log records in the default v2 format: a few ENIs,
// internet scanners knocking on admin ports (the REJECTs, ~10%), normal web/DNS/NTP traffic,
// NODATA/SKIPDATA records, optionally a header line, malformed lines and gzip.
//
//   node bench/generate-flows.mjs --records 2000000 --out bench/out/flows-2m.log [--seed 42]
//        [--header] [--malformed 5] [--gzip]
//
// Also importable: generateFlowLines(options) yields the lines (tests use it).
import {createWriteStream} from 'node:fs';
import {mkdir} from 'node:fs/promises';
import {dirname} from 'node:path';
import {once} from 'node:events';
import {createGzip} from 'node:zlib';
import {fileURLToPath} from 'node:url';

/** mulberry32: tiny, fast, good enough for test data, and the same on every machine. */
export function random(seed) {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

export const HEADER = 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';

/**
 * Yields `records` lines (plus `malformed` broken lines mixed in at deterministic places, and the
 * header first when asked).
 */
export function* generateFlowLines({records = 1000, seed = 42, header = false, malformed = 0, start = 1764300000} = {}) {
	const next = random(seed);
	const pick = (list) => list[Math.floor(next() * list.length)];
	const int = (low, high) => low + Math.floor(next() * (high - low + 1));
	const account = '123456789010';
	const enis = ['eni-0a1b2c3d4e5f60718', 'eni-0b2c3d4e5f6071829', 'eni-0c3d4e5f607182930', 'eni-0d4e5f60718293a41'];
	const hosts = ['10.0.1.15', '10.0.1.27', '10.0.2.9', '10.0.2.44'];
	const scanners = Array.from({length: 400}, () => `${int(1, 223)}.${int(0, 255)}.${int(0, 255)}.${int(1, 254)}`);
	const clients = Array.from({length: 2000}, () => `${int(1, 223)}.${int(0, 255)}.${int(0, 255)}.${int(1, 254)}`);
	const rejectedPorts = [22, 22, 22, 3389, 3389, 23, 445, 1433, 3306, 5432, 6379, 8080, 9200, 27017];
	const malformedEvery = malformed > 0 ? Math.max(1, Math.floor(records / malformed)) : 0;
	const broken = [
		'2 123456789010 eni-0a1b2c3d4e5f60718 10.0.1.15',
		'garbage line that is not a flow record',
		'2 123456789010 eni-0a1b2c3d4e5f60718 198.51.100.7 10.0.1.15 443 22 six 1 40 1764300000 1764300060 REJECT OK',
		'2 123456789010 eni-0a1b2c3d4e5f60718 198.51.100.7 10.0.1.15 443 22 6 1 40 1764300000 1764300060 DENY OK',
	];
	let brokenIndex = 0;
	let clock = start;
	if (header) yield HEADER;
	for (let index = 0; index < records; index++) {
		if (malformedEvery && index % malformedEvery === malformedEvery - 1 && brokenIndex < malformed) {
			yield broken[brokenIndex++ % broken.length];
		}
		if (index % 2000 === 0) clock += 60;
		const eni = int(0, enis.length - 1);
		const windowStart = clock - int(0, 59);
		const windowEnd = windowStart + int(1, 60);
		const roll = next();
		if (roll < 0.004) {
			yield `2 ${account} ${enis[eni]} - - - - - - - ${windowStart} ${windowEnd} - NODATA`;
		} else if (roll < 0.005) {
			yield `2 ${account} ${enis[eni]} - - - - - - - ${windowStart} ${windowEnd} - SKIPDATA`;
		} else if (roll < 0.105) {
			const icmp = next() < 0.05;
			const port = icmp ? 0 : pick(rejectedPorts);
			const protocol = icmp ? 1 : port === 161 ? 17 : 6;
			yield `2 ${account} ${enis[eni]} ${pick(scanners)} ${hosts[eni]} ${icmp ? 0 : int(1024, 65535)} ${port} ${protocol} ${int(1, 3)} ${int(40, 180)} ${windowStart} ${windowEnd} REJECT OK`;
		} else if (roll < 0.55) {
			const port = pick([443, 443, 443, 80]);
			yield `2 ${account} ${enis[eni]} ${pick(clients)} ${hosts[eni]} ${int(1024, 65535)} ${port} 6 ${int(3, 400)} ${int(200, 900000)} ${windowStart} ${windowEnd} ACCEPT OK`;
		} else if (roll < 0.9) {
			const port = pick([443, 443, 80]);
			yield `2 ${account} ${enis[eni]} ${hosts[eni]} ${pick(clients)} ${port} ${int(32768, 60999)} 6 ${int(3, 400)} ${int(200, 2000000)} ${windowStart} ${windowEnd} ACCEPT OK`;
		} else {
			const dns = next() < 0.8;
			yield `2 ${account} ${enis[eni]} ${hosts[eni]} ${dns ? '10.0.0.2' : '169.254.169.123'} ${int(32768, 60999)} ${dns ? 53 : 123} 17 ${int(1, 4)} ${int(60, 400)} ${windowStart} ${windowEnd} ACCEPT OK`;
		}
	}
}

/** Writes the lines to a file (gzipped if asked); resolves to the number of lines written. */
export async function writeFlowFile(path, options = {}) {
	await mkdir(dirname(path), {recursive: true});
	const file = createWriteStream(path);
	const sink = options.gzip ? createGzip({level: 1}) : file;
	if (options.gzip) sink.pipe(file);
	let batch = [];
	let count = 0;
	for (const line of generateFlowLines(options)) {
		batch.push(line);
		count++;
		if (batch.length === 10000) {
			if (!sink.write(batch.join('\n') + '\n')) await once(sink, 'drain');
			batch = [];
		}
	}
	if (batch.length > 0) sink.write(batch.join('\n') + '\n');
	sink.end();
	await once(file, 'close');
	return count;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
	const args = process.argv.slice(2);
	const value = (name, fallback) => {
		const index = args.indexOf(name);
		return index === -1 ? fallback : args[index + 1];
	};
	const out = value('--out', 'bench/out/flows.log');
	const lines = await writeFlowFile(out, {
		records: Number(value('--records', '2000000')),
		seed: Number(value('--seed', '42')),
		malformed: Number(value('--malformed', '0')),
		header: args.includes('--header'),
		gzip: args.includes('--gzip'),
	});
	process.stderr.write(`wrote ${lines} lines to ${out}\n`);
}
