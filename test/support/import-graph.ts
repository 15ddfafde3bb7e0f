// A source file's imports as written (static, type-only, re-exports, dynamic import()), parsed with
// TypeScript, and where a relative one lands on disk. Used by the architecture tests.
import path from 'node:path';
import ts from 'typescript';

export interface ImportEdge {
	from: string;
	specifier: string;
	/** `import type …` / `export type … from` (erased at run time). */
	typeOnly: boolean;
	dynamic: boolean;
}

/** Every import of one file, as written. */
export function importsOf(file: string, text: string): ImportEdge[] {
	const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
	const edges: ImportEdge[] = [];
	const visit = (node: ts.Node): void => {
		if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
			const clause = node.importClause;
			const allTypes = clause !== undefined && (clause.isTypeOnly || (clause.name === undefined && clause.namedBindings !== undefined && ts.isNamedImports(clause.namedBindings) && clause.namedBindings.elements.length > 0 && clause.namedBindings.elements.every((element) => element.isTypeOnly)));
			edges.push({from: file, specifier: node.moduleSpecifier.text, typeOnly: allTypes, dynamic: false});
		} else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
			edges.push({from: file, specifier: node.moduleSpecifier.text, typeOnly: node.isTypeOnly, dynamic: false});
		} else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
			const [argument] = node.arguments;
			// A computed import() cannot be checked: the layering forbids it outright.
			edges.push({from: file, specifier: argument && ts.isStringLiteralLike(argument) ? argument.text : '<computed>', typeOnly: false, dynamic: true});
		} else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
			edges.push({from: file, specifier: node.argument.literal.text, typeOnly: true, dynamic: false});
		}
		ts.forEachChild(node, visit);
	};
	visit(source);
	return edges;
}

/** Where a relative specifier lands: `./x.js` is x.ts or x.tsx on disk (NodeNext ESM). */
export function resolveSpecifier(from: string, specifier: string, exists: (file: string) => boolean): string | null {
	const base = path.posix.join(path.posix.dirname(from), specifier);
	const stem = base.replace(/\.(js|jsx|mjs)$/, '');
	for (const candidate of [base, `${stem}.ts`, `${stem}.tsx`, `${stem}.mts`]) if (exists(candidate)) return candidate;
	return null;
}

