import { runUntilSignalled } from '#platform/nest';
import { loadValidatorConfig } from './config.js';
import { createValidator } from './create-validator.js';

runUntilSignalled('Validator', async (logger) => {
  const config = loadValidatorConfig();
  const running = await createValidator(config);
  logger.log(
    `validating as ${running.hotkey.address} on namespace ${config.KINITRO_NAMESPACE} (at most ${config.VALIDATOR_MAX_EVALUATIONS} evaluations at once), caught up to sequence ${running.caughtUpTo}`,
  );
  return running;
});
