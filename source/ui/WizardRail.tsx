// The wizard's summary rail: every step with what it concluded, the current one highlighted.
import React from 'react';
import {Box, Text} from 'ink';
import {WIZARD_STEPS, type WizardState} from './wizard-state.js';
import {color, toneColor} from './theme.js';
import {truncate} from './format.js';

export function WizardRail({state, width, height}: {state: WizardState; width: number; height: number}) {
	return (
		<Box flexDirection="column" width={width} height={height} borderStyle="single" borderColor={color.muted} borderTop={false} borderBottom={false} borderLeft={false} paddingRight={1}>
			<Text bold color={color.accent}>Triage</Text>
			{WIZARD_STEPS.map((title, index) => {
				const current = index === state.step;
				const finding = state.findings[index as keyof WizardState['findings']];
				return (
					<Box key={title} flexDirection="column">
						<Text bold={current} color={current ? color.accent : index < state.step ? undefined : color.muted} wrap="truncate">
							{current ? '▸' : ' '}{index + 1} {title}
						</Text>
						<Text color={finding ? toneColor(finding.tone) : color.muted} wrap="truncate">
							{'   '}{finding ? truncate(finding.text, width - 5) : index < state.step ? '—' : ' '}
						</Text>
					</Box>
				);
			})}
		</Box>
	);
}
