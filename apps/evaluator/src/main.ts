import { runUntilSignalled } from '#platform';
import { loadEvaluatorConfig } from './config.js';
import { createEvaluator, EVALUATOR_DURABLE } from './create-evaluator.js';

runUntilSignalled('Evaluator', async (logger) => {
  const config = loadEvaluatorConfig();
  const running = await createEvaluator(config);
  logger.log(`evaluator ${running.evaluatorId} consuming episode work (durable ${EVALUATOR_DURABLE}) on namespace ${config.KINITRO_NAMESPACE}`);
  return running;
});
