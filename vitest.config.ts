import {defineConfig} from 'vitest/config';

export default defineConfig({
	test: {
		include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
		testTimeout: 20_000,
		hookTimeout: 60_000,
		pool: 'forks',
		// Where the built CLI is (dist/ or one temp build per run), for tests that run it.
		globalSetup: ['test/support/global-setup.ts'],
		// Nothing a test starts may reach beyond loopback (README, "Tests never leave loopback").
		setupFiles: ['test/support/network-guard-setup.ts'],
	},
});
