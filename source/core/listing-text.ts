// Listings come from whatever shell the operator used. PowerShell 5's `netstat -ano > file.txt`
// writes UTF-16LE with a BOM, which read as UTF-8 is a string of NULs that matches nothing; decode
// by the byte-order mark (or the NUL pattern when there is none) before parsing.

export function decodeListingBytes(bytes: Uint8Array): string {
	if (bytes.length >= 2 && bytes[0] === 0xFF && bytes[1] === 0xFE) {
		return new TextDecoder('utf-16le').decode(bytes.subarray(2));
	}

	if (bytes.length >= 2 && bytes[0] === 0xFE && bytes[1] === 0xFF) {
		return new TextDecoder('utf-16be').decode(bytes.subarray(2));
	}

	if (looksLikeUtf16le(bytes)) {
		return new TextDecoder('utf-16le').decode(bytes);
	}

	// TextDecoder drops a UTF-8 BOM by default.
	return new TextDecoder('utf-8').decode(bytes);
}

/** ASCII text in UTF-16LE: every second byte of the first few hundred is a NUL. */
function looksLikeUtf16le(bytes: Uint8Array): boolean {
	const sample = Math.min(bytes.length - (bytes.length % 2), 512);
	if (sample < 4) {
		return false;
	}

	for (let index = 0; index < sample; index += 2) {
		if (bytes[index] === 0 || bytes[index + 1] !== 0) {
			return false;
		}
	}

	return true;
}
