// vitest setupFiles: every test file runs under the network guard (test/support/network-guard.mjs),
// and a test that met a refused connection fails even if it caught the guard's error.
import {afterEach} from 'vitest';
import {installNetworkGuard, takeViolations} from './network-guard.mjs';

installNetworkGuard();

afterEach(() => {
	const violations = takeViolations();
	if (violations.length === 0) return;
	const first = violations[0]!;
	const more = violations.length > 1 ? ` (and ${violations.length - 1} more)` : '';
	const error = new Error(`${first.message}${more}`);
	error.stack = `${error.message}\n${first.stack?.split('\n').slice(1).join('\n') ?? ''}`;
	throw error;
});
