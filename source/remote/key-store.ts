// Private keys read from IdentityFile paths, decrypted at most once per run: with 50 hosts behind
// one encrypted key the passphrase is asked once. Passphrases live only in the callback's return
// value and ssh2's parser; they are never stored, logged or put in an error.
import {readFile} from 'node:fs/promises';
import ssh2 from 'ssh2';
import type {ParsedKey} from 'ssh2';

export interface PassphraseRequest {
	keyFile: string;
	/** 1 for the first ask, 2.. after a wrong passphrase. */
	attempt: number;
}

/** Returns the passphrase, or null to skip this key (cancelled, or no way to ask). */
export type PassphraseCallback = (request: PassphraseRequest) => Promise<string | null>;

export type LoadedKey =
	| {ok: true; file: string; key: ParsedKey}
	| {ok: false; file: string; reason: 'missing' | 'unreadable' | 'not-a-private-key' | 'passphrase-refused' | 'no-passphrase-callback'};

const MAX_PASSPHRASE_ATTEMPTS = 3;

function isEncryptedError(error: Error): boolean {
	return /encrypted|passphrase/i.test(error.message);
}

function parse(data: Buffer, passphrase?: string): ParsedKey | Error {
	// ssh2's types say one key; a file holding several parses to an array of them.
	const parsed = ssh2.utils.parseKey(data, passphrase) as ParsedKey | ParsedKey[] | Error;
	if (parsed instanceof Error) return parsed;
	return Array.isArray(parsed) ? parsed[0]! : parsed;
}

export class KeyStore {
	readonly #loaded = new Map<string, Promise<LoadedKey>>();
	// Prompts are serialized: two hosts must not ask for two passphrases on one terminal at once.
	#promptChain: Promise<unknown> = Promise.resolve();

	constructor(private readonly passphrase: PassphraseCallback | null) {}

	load(file: string): Promise<LoadedKey> {
		let pending = this.#loaded.get(file);
		if (!pending) {
			pending = this.#read(file);
			this.#loaded.set(file, pending);
		}
		return pending;
	}

	async #read(file: string): Promise<LoadedKey> {
		let data: Buffer;
		try {
			data = await readFile(file);
		} catch (error) {
			return {ok: false, file, reason: (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : 'unreadable'};
		}
		const plain = parse(data);
		if (!(plain instanceof Error)) return plain.isPrivateKey() ? {ok: true, file, key: plain} : {ok: false, file, reason: 'not-a-private-key'};
		if (!isEncryptedError(plain)) return {ok: false, file, reason: 'not-a-private-key'};
		if (!this.passphrase) return {ok: false, file, reason: 'no-passphrase-callback'};
		const ask = this.passphrase;
		const result = this.#promptChain.then(async (): Promise<LoadedKey> => {
			for (let attempt = 1; attempt <= MAX_PASSPHRASE_ATTEMPTS; attempt++) {
				const passphrase = await ask({keyFile: file, attempt});
				if (passphrase === null) break;
				const decrypted = parse(data, passphrase);
				if (!(decrypted instanceof Error) && decrypted.isPrivateKey()) return {ok: true, file, key: decrypted};
			}
			return {ok: false, file, reason: 'passphrase-refused'};
		});
		this.#promptChain = result.catch(() => undefined);
		return result;
	}
}

/** Describes keys that were skipped, for an auth-failure message ("id_ed25519: passphrase refused"). */
export function describeSkippedKey(key: LoadedKey & {ok: false}): string {
	const name = key.file.split('/').pop();
	switch (key.reason) {
		case 'missing': return `${name}: no such file`;
		case 'unreadable': return `${name}: cannot read`;
		case 'not-a-private-key': return `${name}: not a private key sgtui can read`;
		case 'passphrase-refused': return `${name}: passphrase not given or wrong`;
		case 'no-passphrase-callback': return `${name}: encrypted and no way to ask for its passphrase (load it into ssh-agent)`;
	}
}
