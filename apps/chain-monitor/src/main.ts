import { runUntilSignalled } from '#platform';
import { loadChainMonitorConfig } from './config.js';
import { createChainMonitor } from './create-chain-monitor.js';

runUntilSignalled('ChainMonitor', () => createChainMonitor(loadChainMonitorConfig()));
