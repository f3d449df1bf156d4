/**
 * The agent manifest: `kinitro.json` at the root of a miner's Hub repo. It tells the evaluator how to start the
 * agent server inside the sandbox and which agent API it speaks. The parser is pure and total: it never throws,
 * it returns either the manifest or every problem found, each naming the field, so the scheduler can reject a
 * submission with a detail the miner can act on and the CLI can refuse an upload before it leaves the machine.
 */

export const AGENT_MANIFEST_FILE = 'kinitro.json';
/** The manifest is a few hundred bytes; anything far larger is not a manifest and is not worth reading. */
export const AGENT_MANIFEST_MAX_BYTES = 64 * 1024;
export const AGENT_PROTOCOLS = ['grpc'] as const;
/** Agent API versions this platform can drive: `v1` is proto/kinitro/agent/v1/agent.proto. */
export const AGENT_API_VERSIONS = ['v1'] as const;
/**
 * What the sandbox provides read-only beside the agent's files: `python3` is Debian's Python 3 with grpcio,
 * protobuf, numpy and the kinitro_agent SDK (sdk/python) on the path; `node` is Node.js. Optional, so manifests
 * written before it existed stay valid; the evaluator decides what a manifest without one gets.
 */
export const AGENT_RUNTIMES = ['python3', 'node'] as const;

export type AgentProtocol = (typeof AGENT_PROTOCOLS)[number];
export type AgentApiVersion = (typeof AGENT_API_VERSIONS)[number];
export type AgentRuntime = (typeof AGENT_RUNTIMES)[number];

/** What the agent asks of the sandbox; the evaluator caps each value at the competition's limits. */
export interface AgentResourceRequests {
  cpus?: number;
  memoryMiB?: number;
  gpus?: number;
}

export interface AgentManifest {
  name: string;
  version: string;
  protocol: AgentProtocol;
  agentApiVersion: AgentApiVersion;
  runtime?: AgentRuntime;
  /**
   * The process the sandbox starts, run from the repo root; the evaluator tells it where to listen in the
   * environment variable KINITRO_AGENT_SOCKET (a Unix socket path).
   */
  entrypoint: { command: string; args: string[] };
  resources?: AgentResourceRequests;
}

export type ManifestIssueReason =
  | 'invalid_json'
  | 'not_an_object'
  | 'missing_field'
  | 'wrong_type'
  | 'invalid_value'
  | 'unknown_field'
  | 'unsupported_protocol'
  | 'unsupported_api_version'
  | 'unsupported_runtime';

export interface ManifestIssue {
  reason: ManifestIssueReason;
  /** Dotted path of the offending field (`entrypoint.args.1`); empty for the document itself. */
  field: string;
  message: string;
}

export type ManifestParseResult = { ok: true; manifest: AgentManifest } | { ok: false; issues: ManifestIssue[] };

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
/** Semantic version 2.0.0, without leading zeros in the core. */
const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;
const MAX_ARG_LENGTH = 4096;
const MAX_ARGS = 256;

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const describe = (value: unknown): string => (value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`);

/** Collects issues while reading one object; each accessor returns undefined when the field is unusable. */
class FieldReader {
  constructor(
    private readonly issues: ManifestIssue[],
    private readonly object: Json,
    private readonly prefix: string,
  ) {}

  path(key: string): string {
    return this.prefix ? `${this.prefix}.${key}` : key;
  }

  report(reason: ManifestIssueReason, key: string, message: string): undefined {
    this.issues.push({ reason, field: this.path(key), message });
    return undefined;
  }

  onlyKnown(keys: readonly string[]): void {
    for (const key of Object.keys(this.object)) {
      if (!keys.includes(key)) this.report('unknown_field', key, `unknown field (expected one of ${keys.join(', ')})`);
    }
  }

  string(key: string, rule: { pattern: RegExp; explain: string }, required = true): string | undefined {
    const value = this.object[key];
    if (value === undefined) return required ? this.report('missing_field', key, 'is required') : undefined;
    if (typeof value !== 'string') return this.report('wrong_type', key, `must be a string, got ${describe(value)}`);
    if (!rule.pattern.test(value)) return this.report('invalid_value', key, rule.explain);
    return value;
  }

  oneOf<T extends string>(key: string, allowed: readonly T[], unsupported: ManifestIssueReason, required = true): T | undefined {
    const value = this.object[key];
    if (value === undefined) return required ? this.report('missing_field', key, 'is required') : undefined;
    if (typeof value !== 'string') return this.report('wrong_type', key, `must be a string, got ${describe(value)}`);
    if (!(allowed as readonly string[]).includes(value)) {
      return this.report(unsupported, key, `"${value}" is not supported (supported: ${allowed.join(', ')})`);
    }
    return value as T;
  }

  nested(key: string, required: boolean): FieldReader | undefined {
    const value = this.object[key];
    if (value === undefined) return required ? this.report('missing_field', key, 'is required') : undefined;
    if (!isObject(value)) return this.report('wrong_type', key, `must be an object, got ${describe(value)}`);
    return new FieldReader(this.issues, value, this.path(key));
  }

  number(key: string, rule: { integer: boolean; min: number; max: number }): number | undefined {
    const value = this.object[key];
    if (value === undefined) return undefined;
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      return this.report('wrong_type', key, `must be a number, got ${describe(value)}`);
    }
    if (rule.integer && !Number.isInteger(value)) return this.report('invalid_value', key, 'must be a whole number');
    if (value < rule.min || value > rule.max) return this.report('invalid_value', key, `must be between ${rule.min} and ${rule.max}`);
    return value;
  }

  stringList(key: string): string[] | undefined {
    const value = this.object[key];
    if (value === undefined) return [];
    if (!Array.isArray(value)) return this.report('wrong_type', key, `must be an array of strings, got ${describe(value)}`);
    if (value.length > MAX_ARGS) return this.report('invalid_value', key, `at most ${MAX_ARGS} arguments`);
    const before = this.issues.length;
    value.forEach((item, i) => {
      if (typeof item !== 'string') this.report('wrong_type', `${key}.${i}`, `must be a string, got ${describe(item)}`);
      else if (item.length > MAX_ARG_LENGTH || item.includes('\0')) {
        this.report('invalid_value', `${key}.${i}`, `must be at most ${MAX_ARG_LENGTH} characters without NUL`);
      }
    });
    return this.issues.length === before ? (value as string[]) : undefined;
  }
}

const parseResources = (reader: FieldReader): AgentResourceRequests => {
  reader.onlyKnown(['cpus', 'memoryMiB', 'gpus']);
  const cpus = reader.number('cpus', { integer: false, min: 0.1, max: 256 });
  const memoryMiB = reader.number('memoryMiB', { integer: true, min: 16, max: 1024 * 1024 });
  const gpus = reader.number('gpus', { integer: true, min: 0, max: 16 });
  return {
    ...(cpus !== undefined && { cpus }),
    ...(memoryMiB !== undefined && { memoryMiB }),
    ...(gpus !== undefined && { gpus }),
  };
};

/** Validates an already-decoded manifest document. */
export const validateAgentManifest = (document: unknown): ManifestParseResult => {
  if (!isObject(document)) {
    return { ok: false, issues: [{ reason: 'not_an_object', field: '', message: `the manifest must be a JSON object, got ${describe(document)}` }] };
  }
  const issues: ManifestIssue[] = [];
  const root = new FieldReader(issues, document, '');
  root.onlyKnown(['name', 'version', 'protocol', 'agentApiVersion', 'runtime', 'entrypoint', 'resources']);
  const name = root.string('name', { pattern: NAME, explain: 'must be 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit' });
  const version = root.string('version', { pattern: SEMVER, explain: 'must be a semantic version such as 1.0.0' });
  const protocol = root.oneOf('protocol', AGENT_PROTOCOLS, 'unsupported_protocol');
  const agentApiVersion = root.oneOf('agentApiVersion', AGENT_API_VERSIONS, 'unsupported_api_version');
  const runtime = root.oneOf('runtime', AGENT_RUNTIMES, 'unsupported_runtime', false);

  const entry = root.nested('entrypoint', true);
  entry?.onlyKnown(['command', 'args']);
  const command = entry?.string('command', { pattern: /^[^\0]{1,1024}$/, explain: 'must be a non-empty command of at most 1024 characters' });
  const args = entry?.stringList('args');

  const resourcesReader = root.nested('resources', false);
  const resources = resourcesReader && parseResources(resourcesReader);

  if (issues.length > 0) return { ok: false, issues };
  return {
    ok: true,
    manifest: {
      name: name!,
      version: version!,
      protocol: protocol!,
      agentApiVersion: agentApiVersion!,
      ...(runtime && { runtime }),
      entrypoint: { command: command!, args: args! },
      ...(resources && { resources }),
    },
  };
};

/** Parses the text of `kinitro.json`. */
export const parseAgentManifest = (text: string): ManifestParseResult => {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    return { ok: false, issues: [{ reason: 'invalid_json', field: '', message: `not valid JSON: ${(error as Error).message}` }] };
  }
  return validateAgentManifest(document);
};

/** One line naming every issue, for rejection details and CLI messages. */
export const describeManifestIssues = (issues: readonly ManifestIssue[]): string =>
  issues.map((i) => (i.field ? `${i.field}: ${i.message}` : i.message)).join('; ');
