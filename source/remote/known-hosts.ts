// known_hosts as OpenSSH reads it: plain and hashed (`|1|salt|hash`) host patterns, `[host]:port`
// for non-default ports, wildcards and negation, and the @revoked marker. sshd's key is looked up
// here before any authentication is attempted; a key that differs from a recorded one is CHANGED and
// is refused whatever StrictHostKeyChecking says (unlike OpenSSH's `no`, sgtui never downgrades).
import {createHash, createHmac, randomBytes} from 'node:crypto';
import {appendFile, mkdir, readFile} from 'node:fs/promises';
import {dirname} from 'node:path';

export interface KnownHostEntry {
	/** The file and 1-based line the entry came from, for messages like OpenSSH's "Offending key in …:3". */
	file: string;
	line: number;
	marker: 'revoked' | 'cert-authority' | null;
	/** Comma-separated patterns, or one `|1|salt|hash` token. */
	hosts: string;
	keyType: string;
	/** The key blob (SSH wire format), decoded from base64. */
	key: Buffer;
}

export interface KnownHostsFile {
	entries: KnownHostEntry[];
	/** Lines that are neither comments nor usable entries. */
	skipped: Array<{file: string; line: number; reason: string}>;
}

export type HostKeyStatus = 'match' | 'unknown' | 'changed' | 'revoked';

export interface HostKeyCheck {
	status: HostKeyStatus;
	/** The name looked up: `host`, or `[host]:port` when the port is not 22. */
	lookupName: string;
	keyType: string;
	/** `SHA256:…` as `ssh-keygen -lf` prints it. */
	fingerprint: string;
	/** For 'changed'/'revoked': where the recorded key is. */
	offending?: {file: string; line: number};
	/** Key types already recorded for this host (so the client can prefer them, as OpenSSH does). */
	knownTypes: string[];
}

/** `SHA256:` + unpadded base64 of the key blob's SHA-256 — OpenSSH's default fingerprint. */
export function fingerprintSha256(keyBlob: Buffer): string {
	return `SHA256:${createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '')}`;
}

/** The key type written at the start of an SSH public key blob (`ssh-ed25519`, `ecdsa-sha2-nistp256`…). */
export function keyTypeOfBlob(keyBlob: Buffer): string {
	if (keyBlob.length < 4) return 'unknown';
	const length = keyBlob.readUInt32BE(0);
	if (length <= 0 || length > 64 || 4 + length > keyBlob.length) return 'unknown';
	return keyBlob.subarray(4, 4 + length).toString('latin1');
}

export function hostLookupName(host: string, port: number): string {
	return port === 22 ? host : `[${host}]:${port}`;
}

export function parseKnownHosts(text: string, file: string): KnownHostsFile {
	const entries: KnownHostEntry[] = [];
	const skipped: KnownHostsFile['skipped'] = [];
	text.split(/\r?\n/).forEach((raw, index) => {
		const line = raw.trim();
		if (line === '' || line.startsWith('#')) return;
		const fields = line.split(/\s+/);
		let marker: KnownHostEntry['marker'] = null;
		if (fields[0]!.startsWith('@')) {
			const name = fields.shift()!;
			if (name === '@revoked') marker = 'revoked';
			else if (name === '@cert-authority') marker = 'cert-authority';
			else {
				skipped.push({file, line: index + 1, reason: `unknown marker ${name}`});
				return;
			}
		}
		const [hosts, keyType, keyBase64] = fields;
		if (!hosts || !keyType || !keyBase64) {
			skipped.push({file, line: index + 1, reason: 'expected: hosts key-type base64-key'});
			return;
		}
		const key = Buffer.from(keyBase64, 'base64');
		if (key.length === 0 || keyTypeOfBlob(key) !== keyType) {
			skipped.push({file, line: index + 1, reason: 'key does not decode to its stated type'});
			return;
		}
		entries.push({file, line: index + 1, marker, hosts, keyType, key});
	});
	return {entries, skipped};
}

/** OpenSSH's match_pattern: `*` any run, `?` one character, case-insensitive for host names. */
function globMatch(pattern: string, name: string): boolean {
	const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
	return new RegExp(`^${source}$`, 'i').test(name);
}

function hashedMatch(token: string, name: string): boolean {
	const parts = token.split('|');
	// ['', '1', salt, hash]
	if (parts.length !== 4 || parts[1] !== '1') return false;
	const salt = Buffer.from(parts[2]!, 'base64');
	const digest = createHmac('sha1', salt).update(name).digest('base64');
	return digest === parts[3];
}

/** Does an entry's host field name this host? A matching negated pattern excludes it outright. */
export function entryMatchesHost(hosts: string, lookupName: string): boolean {
	if (hosts.startsWith('|')) return hashedMatch(hosts, lookupName);
	let matched = false;
	for (const pattern of hosts.split(',')) {
		if (pattern.startsWith('!')) {
			if (globMatch(pattern.slice(1), lookupName)) return false;
		} else if (globMatch(pattern, lookupName)) {
			matched = true;
		}
	}
	return matched;
}

/**
 * Decide what to do with the key a server presented. Order follows OpenSSH: a revoked key is
 * refused first; then a recorded identical key is a match; a recorded key of the same type that
 * differs is CHANGED. A host with keys of other types only is 'unknown' (OpenSSH also treats it as
 * new), and `knownTypes` lets the caller list them.
 */
export function checkHostKey(files: KnownHostsFile[], host: string, port: number, keyBlob: Buffer): HostKeyCheck {
	const lookupName = hostLookupName(host, port);
	const keyType = keyTypeOfBlob(keyBlob);
	const fingerprint = fingerprintSha256(keyBlob);
	const entries = files.flatMap((file) => file.entries).filter((entry) => entry.marker !== 'cert-authority');
	const revoked = entries.find((entry) => entry.marker === 'revoked' && entry.key.equals(keyBlob));
	if (revoked) {
		return {status: 'revoked', lookupName, keyType, fingerprint, offending: {file: revoked.file, line: revoked.line}, knownTypes: []};
	}
	const forHost = entries.filter((entry) => entry.marker === null && entryMatchesHost(entry.hosts, lookupName));
	const knownTypes = [...new Set(forHost.map((entry) => entry.keyType))];
	if (forHost.some((entry) => entry.key.equals(keyBlob))) return {status: 'match', lookupName, keyType, fingerprint, knownTypes};
	const sameType = forHost.find((entry) => entry.keyType === keyType);
	if (sameType) {
		return {status: 'changed', lookupName, keyType, fingerprint, offending: {file: sameType.file, line: sameType.line}, knownTypes};
	}
	return {status: 'unknown', lookupName, keyType, fingerprint, knownTypes};
}

/** Key types recorded for a host, before connecting (to order the host-key algorithms offered). */
export function knownKeyTypes(files: KnownHostsFile[], host: string, port: number): string[] {
	const lookupName = hostLookupName(host, port);
	const types = files
		.flatMap((file) => file.entries)
		.filter((entry) => entry.marker === null && entryMatchesHost(entry.hosts, lookupName))
		.map((entry) => entry.keyType);
	return [...new Set(types)];
}

/** A known_hosts line for a newly accepted key; hashed like `HashKnownHosts yes` when asked. */
export function formatKnownHostLine(lookupName: string, keyBlob: Buffer, hashed: boolean): string {
	let hosts = lookupName;
	if (hashed) {
		const salt = randomBytes(20);
		hosts = `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(lookupName).digest('base64')}`;
	}
	return `${hosts} ${keyTypeOfBlob(keyBlob)} ${keyBlob.toString('base64')}`;
}

/** Reads each file that exists; a missing known_hosts is simply empty, as for OpenSSH. */
export async function readKnownHostsFiles(paths: string[]): Promise<KnownHostsFile[]> {
	const files: KnownHostsFile[] = [];
	for (const path of paths) {
		try {
			files.push(parseKnownHosts(await readFile(path, 'utf8'), path));
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
		}
	}
	return files;
}

/** Appends one entry, creating ~/.ssh (mode 700) and the file (mode 600) when needed. */
export async function appendKnownHost(path: string, line: string): Promise<void> {
	await mkdir(dirname(path), {recursive: true, mode: 0o700});
	let prefix = '';
	try {
		const current = await readFile(path, 'utf8');
		if (current.length > 0 && !current.endsWith('\n')) prefix = '\n';
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
	}
	await appendFile(path, `${prefix}${line}\n`, {mode: 0o600});
}
