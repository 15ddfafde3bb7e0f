// Finds a line cut inside something that must never be cut: an IPv4/IPv6 address, a CIDR, a
// port after an address, an AWS id, or an aws command. A cut shows as an ellipsis glued to the
// fragment ("10.20.0.0/1…", "[fe80::83f:5cff:fe9…", "eni-0f1e2d…"), or as a line that ends
// inside such a token where the frame was clipped.
const CUT = [
	/\b\d{1,3}(?:\.\d{1,3}){0,3}(?:\/\d{0,3})?…/,
	/[0-9a-f]{0,4}::?[0-9a-f:]*…/i,
	/\[[0-9a-f:]*…/i,
	/\b(?:eni|sg|i|subnet|vpc|acl|fl|rtb|pl)-[0-9a-f]*…/,
	/\baws ec2 [^\n]*…/,
];

export function cutTokens(frame: string): string[] {
	return frame.split('\n').filter((line) => CUT.some((pattern) => pattern.test(line)));
}
