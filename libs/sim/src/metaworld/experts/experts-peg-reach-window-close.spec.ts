import { describeExpertChecks } from './__tests__/expert-suite.js';

describeExpertChecks(['peg-insert-side-v3', 'reach-v3', 'window-close-v3']);
