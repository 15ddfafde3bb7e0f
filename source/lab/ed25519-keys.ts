// ed25519 key pairs for the lab's SSH server and its users. ssh2's generateKeyPairSync now and then
// writes a key whose 32-byte public point lost a leading zero byte (seen: 3 keys in 300), which
// OpenSSH refuses ("is not a public key file") and ssh2's own parseKey may too. A pair is kept only
// when its public blob is the wire form RFC 8709 §4 gives: string "ssh-ed25519", then string of
// exactly 32 bytes.
import ssh2 from 'ssh2';

const KEY_TYPE = 'ssh-ed25519';
const PUBLIC_KEY_BYTES = 32;
// A bad key is ~1 in 100, so 32 bad tries in a row is a broken ssh2, not chance.
const MAX_TRIES = 32;

export interface Ed25519KeyPair {
	/** OpenSSH private key text. */
	private: string;
	/** `ssh-ed25519 <base64>` and the comment, if any. */
	public: string;
}

/** Whether `line` (`ssh-ed25519 <base64> [comment]`) holds a well-formed ed25519 public key. */
export function isWellFormedEd25519Public(line: string): boolean {
	const [type, base64] = line.trim().split(/\s+/);
	if (type !== KEY_TYPE || base64 === undefined) return false;
	const blob = Buffer.from(base64, 'base64');
	if (blob.length < 4) return false;
	const typeLength = blob.readUInt32BE(0);
	if (blob.subarray(4, 4 + typeLength).toString('latin1') !== KEY_TYPE) return false;
	const keyAt = 4 + typeLength;
	if (blob.length !== keyAt + 4 + PUBLIC_KEY_BYTES) return false;
	return blob.readUInt32BE(keyAt) === PUBLIC_KEY_BYTES;
}

export function newEd25519KeyPair(comment?: string): Ed25519KeyPair {
	for (let tries = 0; tries < MAX_TRIES; tries++) {
		const pair = ssh2.utils.generateKeyPairSync('ed25519', comment === undefined ? {} : {comment});
		if (isWellFormedEd25519Public(pair.public) && !(ssh2.utils.parseKey(pair.private) instanceof Error)) return pair;
	}
	throw new Error(`ssh2 made ${MAX_TRIES} malformed ed25519 keys in a row`);
}
