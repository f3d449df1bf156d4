import { runUntilSignalled } from '#platform/nest';
import { loadEvaluatorConfig } from './config.js';
import { createEvaluator } from './create-evaluator.js';

runUntilSignalled('Evaluator', async (logger) => {
  const config = loadEvaluatorConfig();
  const running = await createEvaluator(config);
  logger.log(
    `evaluator ${running.evaluatorId} consuming episode work of validator ${running.validator} (durable ${running.durable}) on namespace ${config.KINITRO_NAMESPACE}`,
  );
  return running;
});
