import { describeExpertChecks } from './__tests__/expert-suite.js';

describeExpertChecks(['reach-v3', 'push-v3', 'pick-place-v3', 'peg-insert-side-v3', 'button-press-topdown-v3']);
