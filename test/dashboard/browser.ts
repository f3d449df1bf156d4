import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** Debian's Chromium (installed by .ci/run); playwright-core drives it and downloads no browser. */
export const CHROMIUM = '/usr/bin/chromium';

/**
 * Flags that keep Chromium off the network it would otherwise call home to (on this closed network those
 * connections hang) and off the GPU. The user data dir is fresh per run (launchPersistentContext's first argument).
 */
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const SCREENSHOTS = resolve('test-output/dashboard');

export interface Browser {
  context: BrowserContext;
  /** Console errors, failed requests and uncaught exceptions of every page, as lines. */
  problems: string[];
  page(): Promise<Page>;
  close(): Promise<void>;
}

export const launchBrowser = async (): Promise<Browser> => {
  const profile = await mkdtemp(join(tmpdir(), 'kinitro-chromium-'));
  await mkdir(SCREENSHOTS, { recursive: true });
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: { width: 1280, height: 900 },
  });
  const problems: string[] = [];
  return {
    context,
    problems,
    page: async () => {
      const page = await context.newPage();
      page.on('console', (m) => m.type() === 'error' && problems.push(`console error on ${page.url()}: ${m.text()}`));
      page.on('pageerror', (e) => problems.push(`uncaught on ${page.url()}: ${e.message}`));
      page.on('requestfailed', (r) => problems.push(`request failed on ${page.url()}: ${r.url()} ${r.failure()?.errorText ?? ''}`));
      return page;
    },
    close: async () => {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
};

const axeSource = readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** axe-core's WCAG 2 A/AA rules on the page as it is now; only what it rates serious or critical. */
export const seriousAccessibilityViolations = async (page: Page): Promise<string[]> => {
  // Evaluated through the DevTools protocol, not a <script> tag, which the dashboard's CSP would refuse.
  await page.evaluate(await axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(context: unknown, options: unknown): Promise<{ violations: AxeViolation[] }> } }).axe;
    return (await axe.run('html', { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })).violations;
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
};

export const screenshot = (page: Page, name: string) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
