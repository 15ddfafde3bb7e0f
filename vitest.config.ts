import {defineConfig} from 'vitest/config';

export default defineConfig({
	test: {
		include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
		testTimeout: 20_000,
		hookTimeout: 60_000,
		pool: 'forks',
		// Where the built CLI is (dist/ or one temp build per run), for tests that run it.
		globalSetup: ['test/support/global-setup.ts'],
		// Nothing a test starts may reach beyond loopback (README, "Tests never leave loopback"); fast-check's
		// seed printed on failure and FC_SEED to replay (test/support/fast-check-setup.ts).
		setupFiles: ['test/support/network-guard-setup.ts', 'test/support/fast-check-setup.ts'],
		// A strict run (CI=true or SGTUI_STRICT_PEERS=1) fails on any skipped test.
		reporters: ['default', './test/support/strict-skips-reporter.ts'],
	},
});
