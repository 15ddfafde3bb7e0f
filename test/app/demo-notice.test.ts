import {describe, expect, it} from 'vitest';
import {demoNotice} from '../../source/app/demo-notice.js';
import {bannerLines} from '../../source/ui/banner-lines.js';
import {toneSymbol} from '../../source/ui/theme.js';

describe('the demo notice', () => {
	it('names the env file home-relative and fits one banner row at 80 columns (a 7-digit pid too)', () => {
		const notice = demoNotice('/home/operator/.local/state/sgtui/demo/4194304/aws-env.sh', '/home/operator');
		expect(notice).toBe('AWS CLI on this lab: source ~/.local/state/sgtui/demo/4194304/aws-env.sh');
		expect(bannerLines(`${toneSymbol('info')} ${notice}`, 80)).toHaveLength(1);
	});

	it('keeps a path outside home whole, and a sibling of home ("/home/op" vs "/home/operator") is not under it', () => {
		expect(demoNotice('/tmp/sgtui-e2e-x/sgtui/demo/9/aws-env.sh', '/home/op')).toBe('AWS CLI on this lab: source /tmp/sgtui-e2e-x/sgtui/demo/9/aws-env.sh');
		expect(demoNotice('/home/operator/state/aws-env.sh', '/home/op')).toBe('AWS CLI on this lab: source /home/operator/state/aws-env.sh');
	});
});
