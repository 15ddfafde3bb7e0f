// Types for network-guard.mjs (plain JavaScript so bench/ and scripts/ can import it).
export declare class NetworkGuardError extends Error {
	readonly address: string;
	constructor(what: string, address: string);
}
export declare function takeViolations(): NetworkGuardError[];
export declare function isLoopbackHost(host: unknown): boolean;
export declare function assertLoopbackUrl(url: string, what?: string): void;
export declare function installNetworkGuard(options?: {children?: boolean}): void;
