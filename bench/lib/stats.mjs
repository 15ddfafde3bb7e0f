// Figures for results.md: each measure is a list of samples, reported as median and min–max;
// a measure with a peer gets the ratio of medians (both measured in the same run, interleaved).

export function median(values) {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** The q-quantile (0..1) by nearest rank. */
export function quantile(values, q) {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

export function summary(values) {
	return {median: median(values), min: Math.min(...values), max: Math.max(...values), n: values.length};
}

/** 1.234 s, 12.3 ms, 118 MB… */
export function format(value, unit) {
	if (value === null || value === undefined || Number.isNaN(value)) return '–';
	if (unit === 's') return value >= 10 ? `${value.toFixed(1)} s` : `${value.toFixed(2)} s`;
	if (unit === 'ms') return value >= 100 ? `${value.toFixed(0)} ms` : `${value.toFixed(1)} ms`;
	if (unit === 'MB') return `${value.toFixed(0)} MB`;
	return `${value.toFixed(2)}${unit ? ` ${unit}` : ''}`;
}

/**
 * Runs each contender `runs` times, interleaved (ABAB…, reversed every other round) so background
 * load hits all alike. `contenders`: {name, once: async () => number}. Returns name → samples.
 */
export async function interleave(contenders, runs, onSample = () => {}) {
	const samples = new Map(contenders.map((contender) => [contender.name, []]));
	for (let run = 0; run < runs; run++) {
		const order = run % 2 === 0 ? contenders : [...contenders].reverse();
		for (const contender of order) {
			const value = await contender.once(run);
			samples.get(contender.name).push(value);
			onSample(contender.name, value);
		}
	}
	return samples;
}

/**
 * One row of a results table. `samples`/`peerSamples` in `unit`; `budget`: {text, holds: bool}
 * or null when the row is informational.
 */
export function row({what, samples, unit, peer = null, peerSamples = null, budget = null, note = ''}) {
	const mine = samples && samples.length > 0 ? summary(samples) : null;
	const theirs = peerSamples && peerSamples.length > 0 ? summary(peerSamples) : null;
	return {
		what,
		median: mine ? format(mine.median, unit) : '–',
		range: mine ? `${format(mine.min, unit)} – ${format(mine.max, unit)}` : '–',
		n: mine ? mine.n : 0,
		peer: peer ?? '',
		peerMedian: theirs ? format(theirs.median, unit) : '',
		ratio: mine && theirs && theirs.median > 0 ? `${(mine.median / theirs.median).toFixed(2)}×` : '',
		budget: budget ? budget.text : '',
		holds: budget ? (budget.holds ? 'yes' : '**no**') : '',
		note,
		ok: budget ? budget.holds : true,
		raw: mine ? mine.median : null,
		peerRaw: theirs ? theirs.median : null,
	};
}

export function markdownTable(rows) {
	const header = ['measure', 'median', 'min – max', 'runs', 'peer (same run)', 'peer median', 'ratio', 'budget', 'holds'];
	const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`];
	for (const r of rows) lines.push(`| ${[r.what, r.median, r.range, r.n, r.peer, r.peerMedian, r.ratio, r.budget, r.holds].map((cell) => String(cell).replaceAll('|', '\\|')).join(' | ')} |`);
	return lines.join('\n');
}
