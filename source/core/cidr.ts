// Addresses, CIDRs and sets of addresses. ipaddr.js parses and validates; the sets are kept as
// sorted, disjoint [first, last] bigint intervals per family so the evaluators can answer "is
// EVERY address of this source allowed?" exactly, even for /0 sources and IPv6, without
// enumerating addresses.
import ipaddr from 'ipaddr.js';
import type {AddressFamily} from './types.js';

export interface Interval {
	first: bigint;
	last: bigint;
}

/** A set of addresses: sorted, disjoint, non-adjacent intervals per family. */
export interface AddressSet {
	ipv4: Interval[];
	ipv6: Interval[];
}

const BITS: Record<AddressFamily, number> = {ipv4: 32, ipv6: 128};

export function isValidAddress(text: string): boolean {
	return ipaddr.isValid(text) && !text.includes('/') && (ipaddr.IPv4.isValidFourPartDecimal(text) || ipaddr.IPv6.isValid(text));
}

// Spellings seen → their RFC 5952 text (itself when already canonical), so a peer repeated over a
// live session is parsed once. Cleared when full: the cost is a re-parse, never a wrong answer.
const canonicalSpellings = new Map<string, string>();
const MAX_CANONICAL_SPELLINGS = 4096;

/**
 * One text per IPv6 address, RFC 5952's (lower case, no leading zeros, the longest run of zero
 * groups as `::`, an IPv4-mapped address dotted as §5 recommends), so `2001:0DB8:0:0::1` and
 * `2001:db8::1` are one key. Anything without a ':' (IPv4, `-`) or not an IPv6 address comes back
 * as it is, at the cost of one `includes`.
 */
export function canonicalAddress(text: string): string {
	if (!text.includes(':')) return text;
	let canonical = canonicalSpellings.get(text);
	if (canonical === undefined) {
		canonical = text;
		if (ipaddr.IPv6.isValid(text)) {
			const ip = ipaddr.IPv6.parse(text);
			canonical = ip.isIPv4MappedAddress() && ip.zoneId === undefined ? `::ffff:${ip.toIPv4Address().toString()}` : ip.toRFC5952String();
		}
		if (canonicalSpellings.size >= MAX_CANONICAL_SPELLINGS) canonicalSpellings.clear();
		canonicalSpellings.set(text, canonical);
	}
	return canonical;
}

export function isValidCidr(text: string): boolean {
	if (!text.includes('/')) return false;
	try {
		parseCidrRange(text);
		return true;
	} catch {
		return false;
	}
}

/** The family of an address or CIDR ("10.0.0.0/8" → ipv4). Throws on garbage. */
export function familyOf(text: string): AddressFamily {
	const address = text.split('/')[0]!;
	return parseIp(address).kind() === 'ipv4' ? 'ipv4' : 'ipv6';
}

function parseIp(text: string): ipaddr.IPv4 | ipaddr.IPv6 {
	if (ipaddr.IPv4.isValidFourPartDecimal(text)) return ipaddr.IPv4.parse(text);
	if (ipaddr.IPv6.isValid(text)) {
		const ip = ipaddr.IPv6.parse(text);
		// ::ffff:a.b.c.d is an IPv4 client as far as rules are concerned.
		return ip.isIPv4MappedAddress() ? ip.toIPv4Address() : ip;
	}
	throw new Error(`not an IP address: ${text}`);
}

function toBigInt(ip: ipaddr.IPv4 | ipaddr.IPv6): bigint {
	let value = 0n;
	for (const byte of ip.toByteArray()) value = (value << 8n) | BigInt(byte);
	return value;
}

export function addressValue(text: string): {family: AddressFamily; value: bigint} {
	const ip = parseIp(text);
	return {family: ip.kind() === 'ipv4' ? 'ipv4' : 'ipv6', value: toBigInt(ip)};
}

export function formatAddress(value: bigint, family: AddressFamily): string {
	const bytes: number[] = [];
	for (let i = BITS[family] / 8 - 1; i >= 0; i--) bytes.push(Number((value >> BigInt(i * 8)) & 0xffn));
	const ip = ipaddr.fromByteArray(bytes);
	return ip.kind() === 'ipv6' ? (ip as ipaddr.IPv6).toRFC5952String() : ip.toString();
}

/** A CIDR as an interval. Host bits are ignored, as AWS does when it normalizes a rule. */
export function parseCidrRange(text: string): {family: AddressFamily; prefix: number} & Interval {
	const slash = text.indexOf('/');
	if (slash < 0) throw new Error(`not a CIDR: ${text}`);
	const {family, value} = addressValue(text.slice(0, slash));
	const prefixText = text.slice(slash + 1);
	const prefix = Number(prefixText);
	if (!/^\d{1,3}$/.test(prefixText) || prefix > BITS[family]) throw new Error(`not a CIDR: ${text}`);
	const hostBits = BigInt(BITS[family] - prefix);
	const first = (value >> hostBits) << hostBits;
	return {family, prefix, first, last: first + (1n << hostBits) - 1n};
}

export function addressInCidr(address: string, cidr: string): boolean {
	const a = addressValue(address);
	const c = parseCidrRange(cidr);
	return a.family === c.family && a.value >= c.first && a.value <= c.last;
}

/** Whether `outer` contains every address of `inner`. */
export function cidrContains(outer: string, inner: string): boolean {
	const o = parseCidrRange(outer);
	const i = parseCidrRange(inner);
	return o.family === i.family && o.first <= i.first && i.last <= o.last;
}

/** The single-address CIDR of an address: /32 for IPv4, /128 for IPv6. */
export function hostCidr(address: string): string {
	const {family, value} = addressValue(address);
	return `${formatAddress(value, family)}/${BITS[family]}`;
}

/** True for 0.0.0.0/0 and ::/0. */
export function isWholeInternet(cidr: string): boolean {
	try {
		return parseCidrRange(cidr).prefix === 0;
	} catch {
		return false;
	}
}

// ---------------------------------------------------------------------------------------------
// Address sets.

export function emptySet(): AddressSet {
	return {ipv4: [], ipv6: []};
}

export function setFromCidr(cidr: string): AddressSet {
	const range = parseCidrRange(cidr);
	const set = emptySet();
	set[range.family] = [{first: range.first, last: range.last}];
	return set;
}

export function setFromAddress(address: string): AddressSet {
	return setFromCidr(hostCidr(address));
}

/** A set from a list of addresses and CIDRs. */
export function setFrom(items: Iterable<string>): AddressSet {
	let set = emptySet();
	for (const item of items) set = union(set, item.includes('/') ? setFromCidr(item) : setFromAddress(item));
	return set;
}

function normalize(intervals: Interval[]): Interval[] {
	const sorted = [...intervals].sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0));
	const out: Interval[] = [];
	for (const interval of sorted) {
		const last = out[out.length - 1];
		if (last && interval.first <= last.last + 1n) {
			if (interval.last > last.last) last.last = interval.last;
		} else {
			out.push({...interval});
		}
	}
	return out;
}

function perFamily(a: AddressSet, b: AddressSet, op: (x: Interval[], y: Interval[]) => Interval[]): AddressSet {
	return {ipv4: op(a.ipv4, b.ipv4), ipv6: op(a.ipv6, b.ipv6)};
}

export function union(a: AddressSet, b: AddressSet): AddressSet {
	return perFamily(a, b, (x, y) => normalize([...x, ...y]));
}

export function intersect(a: AddressSet, b: AddressSet): AddressSet {
	return perFamily(a, b, (x, y) => {
		const out: Interval[] = [];
		let i = 0;
		let j = 0;
		while (i < x.length && j < y.length) {
			const first = x[i]!.first > y[j]!.first ? x[i]!.first : y[j]!.first;
			const last = x[i]!.last < y[j]!.last ? x[i]!.last : y[j]!.last;
			if (first <= last) out.push({first, last});
			if (x[i]!.last < y[j]!.last) i++;
			else j++;
		}
		return out;
	});
}

export function subtract(a: AddressSet, b: AddressSet): AddressSet {
	return perFamily(a, b, (x, y) => {
		const out: Interval[] = [];
		for (const interval of x) {
			let first = interval.first;
			for (const cut of y) {
				if (cut.last < first || cut.first > interval.last) continue;
				if (cut.first > first) out.push({first, last: cut.first - 1n});
				first = cut.last + 1n;
				if (first > interval.last) break;
			}
			if (first <= interval.last) out.push({first, last: interval.last});
		}
		return out;
	});
}

export function isEmpty(set: AddressSet): boolean {
	return set.ipv4.length === 0 && set.ipv6.length === 0;
}

export function sameSet(a: AddressSet, b: AddressSet): boolean {
	return isEmpty(subtract(a, b)) && isEmpty(subtract(b, a));
}

/** Number of addresses in the set (bigint: IPv6 sets are huge). */
export function setSize(set: AddressSet): bigint {
	let n = 0n;
	for (const interval of [...set.ipv4, ...set.ipv6]) n += interval.last - interval.first + 1n;
	return n;
}

/** The smallest list of CIDRs that covers exactly the interval. */
function intervalToCidrs(interval: Interval, family: AddressFamily): string[] {
	const bits = BITS[family];
	const out: string[] = [];
	let first = interval.first;
	while (first <= interval.last) {
		let size = 0;
		// Grow the block while it stays aligned and inside the interval.
		while (size < bits) {
			const next = 1n << BigInt(size + 1);
			if (first % next !== 0n || first + next - 1n > interval.last) break;
			size++;
		}
		out.push(`${formatAddress(first, family)}/${bits - size}`);
		first += 1n << BigInt(size);
	}
	return out;
}

/** The set as CIDRs (IPv4 first). */
export function setToCidrs(set: AddressSet): string[] {
	return [
		...set.ipv4.flatMap((interval) => intervalToCidrs(interval, 'ipv4')),
		...set.ipv6.flatMap((interval) => intervalToCidrs(interval, 'ipv6')),
	];
}

/**
 * Short human text for a set: "10.0.0.0/24, 10.0.1.5" (single addresses without /32), capped.
 * A family that is nearly everything reads as "0.0.0.0/0 except 10.20.3.0/24" rather than the
 * dozens of CIDRs its complement splits into.
 */
export function describeSet(set: AddressSet, max = 4): string {
	const short = (cidr: string) => (cidr.endsWith('/32') || cidr.endsWith('/128') ? cidr.slice(0, cidr.indexOf('/')) : cidr);
	const capped = (cidrs: string[]) => (cidrs.length <= max ? cidrs.join(', ') : `${cidrs.slice(0, max).join(', ')} and ${cidrs.length - max} more ranges`);
	const families = (['ipv4', 'ipv6'] as const).filter((family) => set[family].length > 0).map((family) => {
		const part = {...emptySet(), [family]: set[family]};
		const cidrs = setToCidrs(part).map(short);
		if (cidrs.length <= max) return {cidrs};
		const universe = family === 'ipv4' ? '0.0.0.0/0' : '::/0';
		const holes = setToCidrs(subtract(setFromCidr(universe), part)).map(short);
		return holes.length > 0 && holes.length <= Math.min(max, 3) ? {text: `${universe} except ${holes.join(', ')}`, cidrs} : {cidrs};
	});
	if (families.length === 0) return 'no address';
	if (families.every((family) => family.text === undefined)) return capped(families.flatMap((family) => family.cidrs));
	return families.map((family) => family.text ?? capped(family.cidrs)).join(', ');
}

/** Whether the address is in the set; false for text that is not an address. */
export function setHas(set: AddressSet, address: string): boolean {
	let parsed: {family: AddressFamily; value: bigint};
	try {
		parsed = addressValue(address);
	} catch {
		return false;
	}
	const intervals = set[parsed.family];
	let lo = 0;
	let hi = intervals.length - 1;
	while (lo <= hi) {
		const mid = (lo + hi) >> 1;
		const interval = intervals[mid]!;
		if (parsed.value < interval.first) hi = mid - 1;
		else if (parsed.value > interval.last) lo = mid + 1;
		else return true;
	}
	return false;
}
