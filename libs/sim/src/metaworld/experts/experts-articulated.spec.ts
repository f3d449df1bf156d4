import { describeExpertChecks } from './__tests__/expert-suite.js';

describeExpertChecks(['door-open-v3', 'drawer-open-v3', 'drawer-close-v3', 'window-open-v3', 'window-close-v3']);
