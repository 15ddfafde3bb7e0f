// Reading a file someone handed us (a snapshot's parts, a host capture): only a regular file, and
// only up to a size no real one comes near. A symlink is followed (snapshots get assembled with
// `ln -s`), but what it points at must be a regular file too: a FIFO would block for ever, a
// device (/dev/zero, /dev/urandom) never ends. The check is on the opened descriptor (fstat), so
// the file cannot be swapped between the check and the read; O_NONBLOCK keeps opening a FIFO
// from waiting for a writer. A snapshot's file must also lie inside the snapshot: a link in a
// snapshot someone handed over (hosts/i-….txt → /etc/shadow) would have sgtui read the reader's
// own files, so the path is resolved (realpath) and checked before anything is opened, and the
// resolved path is opened with O_NOFOLLOW.
import {constants} from 'node:fs';
import {open, realpath} from 'node:fs/promises';
import path from 'node:path';
import {EvidenceError} from '../core/evidence-error.js';
import {errorLine} from '../core/display-text.js';

const MB = 1024 * 1024;

/** describe-instances.json of a very large account is tens of MB. */
export const MAX_AWS_FILE_BYTES = 256 * MB;
/** A listener listing is a few KB; a busy host's is under 1 MB. */
export const MAX_HOST_FILE_BYTES = 64 * MB;

function kind(info: {isFIFO(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean; isSocket(): boolean; isDirectory(): boolean}): string {
	if (info.isFIFO()) return 'a FIFO';
	if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device';
	if (info.isSocket()) return 'a socket';
	if (info.isDirectory()) return 'a directory';
	return 'not a regular file';
}

/**
 * The real path of `file` when it resolves inside `root` (a real path, from `realpath`), or null
 * when it does not exist (a dangling link included). Throws an EvidenceError, without opening
 * anything, when it resolves outside: through a link to a file, or through a linked directory.
 */
export async function pathInside(file: string, label: string, root: string): Promise<string | null> {
	let real: string;
	try {
		real = await realpath(file);
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'ENOENT') return null;
		throw new EvidenceError(`${label}: can't be read (${code ?? errorLine(error)})`);
	}
	if (real !== root && !real.startsWith(root.endsWith(path.sep) ? root : root + path.sep)) {
		throw new EvidenceError(`${label}: a link to ${real}, outside the snapshot; a snapshot holds only its own files (copy the file in instead)`);
	}
	return real;
}

export interface BoundedReadOptions {
	/** The snapshot directory's real path: `file` must resolve inside it (see pathInside). */
	within?: string;
}

/**
 * The bytes of `file`, or null when it does not exist. `label` names it in errors (its path inside
 * the snapshot). Throws an EvidenceError for anything but a regular file of at most `maxBytes`,
 * and, given `within`, for a file that resolves outside that directory.
 */
export async function readBoundedFile(file: string, label: string, maxBytes: number, options: BoundedReadOptions = {}): Promise<Buffer | null> {
	let target = file;
	let flags = constants.O_RDONLY | constants.O_NONBLOCK;
	if (options.within !== undefined) {
		const inside = await pathInside(file, label, options.within);
		if (inside === null) return null;
		// The checked path, not the link again: a link swapped in after the check is not followed.
		target = inside;
		flags |= constants.O_NOFOLLOW;
	}
	let handle;
	try {
		handle = await open(target, flags);
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'ENOENT') return null;
		throw new EvidenceError(`${label}: can't be read (${code ?? errorLine(error)})`);
	}
	try {
		const info = await handle.stat();
		if (!info.isFile()) throw new EvidenceError(`${label}: ${kind(info)}, not a regular file; a snapshot holds only files`);
		if (info.size > maxBytes) throw new EvidenceError(`${label}: ${Math.ceil(info.size / MB)} MB is more than the ${maxBytes / MB} MB such a file can be`);
		// Read one byte past the cap: a file that grew after fstat is refused, not truncated.
		const buffer = Buffer.allocUnsafe(Math.min(maxBytes + 1, Math.max(info.size + 1, 64 * 1024)));
		let length = 0;
		for (;;) {
			if (length === buffer.length) {
				if (length > maxBytes) throw new EvidenceError(`${label}: more than the ${maxBytes / MB} MB such a file can be`);
				throw new EvidenceError(`${label}: grew while being read; read it again once it is complete`);
			}
			const {bytesRead} = await handle.read(buffer, length, buffer.length - length, null);
			if (bytesRead === 0) break;
			length += bytesRead;
		}
		return buffer.subarray(0, length);
	} finally {
		await handle.close();
	}
}
