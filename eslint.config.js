// The linter `npm test` runs (`npm run lint`). ESLint's and typescript-eslint's recommended rules
// with type information, so the rules that catch real bugs run (a floating or misused promise,
// awaiting a non-promise, an object stringified as "[object Object]"); React's hook rules for the
// UI. A rule is turned off or narrowed only where it would be noise here, each with its reason.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
	{ignores: ['dist/**', 'node_modules/**', 'screenshots/**', 'demo/**', 'coverage/**', 'bench/out/**', 'vendor/**/*.d.ts']},
	js.configs.recommended,
	...tseslint.configs.recommendedTypeChecked,
	{
		languageOptions: {
			globals: {...globals.node},
			parserOptions: {
				projectService: {allowDefaultProject: ['*.config.ts', '*.config.js']},
				tsconfigRootDir: import.meta.dirname,
			},
		},
		linterOptions: {reportUnusedDisableDirectives: 'error'},
		rules: {
			// `_name` marks a value destructured away on purpose (e.g. commander's trailing args).
			'@typescript-eslint/no-unused-vars': ['error', {argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true}],
			// An async function without await still promises its callers a rejection, not a throw; the
			// interfaces it implements (services, SDK handlers) say async.
			'@typescript-eslint/require-await': 'off',
			// The output sanitizer and its tests match control characters on purpose, all over.
			'no-control-regex': 'off',
			// `catch {}` with nothing to do is how the benchmarks and tests ignore a best-effort step.
			'no-empty': ['error', {allowEmptyCatch: true}],
		},
	},
	{
		// The lab and the tests read AWS wire JSON and test fixtures by hand; `any` from JSON.parse
		// flowing into a field read is how they are written, and the handlers' own checks (and the
		// tests' assertions) are what validate shape.
		files: ['source/lab/**', 'test/**', 'bench/**', 'scripts/**'],
		rules: {
			'@typescript-eslint/no-unsafe-argument': 'off',
			'@typescript-eslint/no-unsafe-assignment': 'off',
			'@typescript-eslint/no-unsafe-call': 'off',
			'@typescript-eslint/no-unsafe-member-access': 'off',
			'@typescript-eslint/no-unsafe-return': 'off',
			'@typescript-eslint/no-explicit-any': 'off',
			// Tests destructure module functions (`const {join} = await import('node:path')`).
			'@typescript-eslint/unbound-method': 'off',
		},
	},
	{
		// Commander hands option values over untyped (strings, or true for a bare flag); String() of
		// one is the first step of parsing it, never an object's "[object Object]".
		files: ['source/cli/**'],
		rules: {'@typescript-eslint/no-base-to-string': 'off'},
	},
	{
		files: ['**/*.{js,mjs,cjs}'],
		...tseslint.configs.disableTypeChecked,
	},
	{
		files: ['source/ui/**/*.{ts,tsx}', 'test/**/*.tsx'],
		...reactHooks.configs.flat.recommended,
		rules: {
			...reactHooks.configs.flat.recommended.rules,
			// A missing dependency is a stale-closure bug, not a style point.
			'react-hooks/exhaustive-deps': 'error',
		},
	},
);
