import type { LogLevel } from '@nestjs/common';
import type { Config } from './config.js';

const SEVERITY: LogLevel[] = ['error', 'warn', 'log', 'debug', 'verbose'];

/** Nest logs at the configured level and every level more severe. */
export const nestLogLevels = (level: Config['LOG_LEVEL']): LogLevel[] => SEVERITY.slice(0, SEVERITY.indexOf(level) + 1);
