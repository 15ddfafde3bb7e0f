// EC2 Query protocol requests: `Filter.1.Name=vpc-id&Filter.1.Value.1=vpc-1` into
// `{Filter: [{Name: 'vpc-id', Value: ['vpc-1']}]}`. Numeric path segments are 1-based list
// positions; everything else is a structure member. Values stay strings.

export type QueryValue = string | QueryValue[] | {[key: string]: QueryValue};
export type QueryParams = {[key: string]: QueryValue};

export function decodeQuery(body: string): QueryParams {
	const root: QueryParams = {};
	for (const [key, value] of new URLSearchParams(body)) {
		const path = key.split('.');
		// Form keys come from the network: never let one reach Object.prototype.
		if (path.some((segment) => segment === '__proto__' || segment === 'constructor' || segment === 'prototype')) continue;
		let node: any = root;
		for (let i = 0; i < path.length; i++) {
			const segment = path[i]!;
			const last = i === path.length - 1;
			const index = /^\d+$/.test(segment) ? Number(segment) - 1 : null;
			const nextIsIndex = !last && /^\d+$/.test(path[i + 1]!);
			const slot = index ?? segment;
			if (last) {
				node[slot] = value;
			} else {
				if (node[slot] === undefined || typeof node[slot] !== 'object') node[slot] = nextIsIndex ? [] : {};
				node = node[slot];
			}
		}
	}
	// Sparse positions (`Value.3` without `Value.2`) collapse, as AWS reads lists in order.
	return compact(root) as QueryParams;
}

function compact(value: any): QueryValue {
	if (Array.isArray(value)) return value.filter((item) => item !== undefined).map(compact);
	if (value && typeof value === 'object') {
		return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, compact(v)]));
	}
	return value;
}

/** A list parameter (`GroupId.N`) as strings; a single `GroupId=` counts as a list of one. */
export function stringList(params: QueryParams, name: string): string[] {
	const value = params[name];
	if (value === undefined) return [];
	if (typeof value === 'string') return [value];
	if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
	return [];
}

export interface QueryFilter {
	name: string;
	values: string[];
}

/** `Filter.N.Name` / `Filter.N.Value.M` (DescribeFlowLogs' input field is also `Filter`). */
export function filters(params: QueryParams): QueryFilter[] {
	const raw = params.Filter;
	if (!Array.isArray(raw)) return [];
	return raw.map((item) => {
		const record = (item ?? {}) as Record<string, QueryValue>;
		const values = record.Value;
		return {
			name: typeof record.Name === 'string' ? record.Name : '',
			values: Array.isArray(values) ? values.filter((v): v is string => typeof v === 'string') : typeof values === 'string' ? [values] : [],
		};
	});
}
