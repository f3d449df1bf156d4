import { describeExpertChecks } from './__tests__/expert-suite.js';

describeExpertChecks(['drawer-open-v3', 'drawer-close-v3', 'button-press-topdown-v3']);
