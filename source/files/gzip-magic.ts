// gzip's magic bytes (RFC 1952 §2.3.1: ID1 = 0x1f, ID2 = 0x8b): flow log input is decompressed
// when it starts with them, whatever the file is called. No imports: the early fork in
// flow-scan-children.ts checks them before anything else of `flows` loads.
export function startsWithGzipMagic(head: Uint8Array): boolean {
	return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}
