import {defineConfig} from 'vitest/config';

export default defineConfig({
	test: {
		include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
		testTimeout: 20_000,
		hookTimeout: 60_000,
		pool: 'forks',
		// Where the built CLI is (dist/ or one temp build per run), for tests that run it.
		globalSetup: ['test/support/global-setup.ts'],
	},
});
