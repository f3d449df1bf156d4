import { describeExpertChecks } from './__tests__/expert-suite.js';

describeExpertChecks(['push-v3', 'pick-place-v3', 'door-open-v3', 'window-open-v3']);
