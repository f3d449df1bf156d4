import { createHash } from 'node:crypto';
import { createGzip, type Gzip } from 'node:zlib';
import type { z } from 'zod';
import type { BenchmarkSpec, frameRefSchema, objectRefSchema } from '#contracts';
import { SawyerXYZEnv, SceneRenderer, UnknownCameraError, type Env, type Frame, type Observation, type Space } from '#sim';
import { contentKey, ObjectStoreError, type ObjectStore } from '#storage';
import { episodeStepLimit, type AgentEpisodeParams, type EpisodeTransition } from '../episode.js';
import { exactJson } from './exact-json.js';
import { DEFAULT_UPLOAD_RETRY, withRetry, type RetryPolicy } from './retry.js';
import { sampledStepOf, sampleStepNumbers, type SampledStep } from './sampled-steps.js';
import { encodeSpriteSheet, frameInterval, FRAMES_CONTENT_TYPE, sheetCapacity } from './sprite-sheet.js';
import { TRAJECTORY_CONTENT_TYPE, TRAJECTORY_FORMAT, TRAJECTORY_VERSION, type TrajectoryHeader } from './trajectory-format.js';

export type ObjectRef = z.infer<typeof objectRefSchema>;
export type FrameRef = z.infer<typeof frameRefSchema>;
export type CameraSpec = NonNullable<BenchmarkSpec['camera']>;

/** The event's limit on frame objects (`EpisodeRecorded.frames`): one per camera. */
export const MAX_CAMERAS = 16;

export interface EpisodeRecorderOptions {
  readonly env: Env;
  readonly task: string;
  readonly seed: number;
  readonly episodeIndex: number;
  /** The benchmark's step limit, as given to the episode (`AgentEpisodeParams.maxSteps`); the env's when absent. */
  readonly maxSteps?: number;
  /** Frames to render (MetaWorld environments only; other environments record none). */
  readonly camera?: CameraSpec;
}

/** What `EpisodeRecorded` references, every object already written. */
export interface EpisodeRecording {
  readonly trajectory: ObjectRef;
  readonly trajectoryKey: string;
  readonly frames: FrameRef[];
  readonly sampledSteps: SampledStep[];
}

export interface UploadOptions {
  readonly retry?: RetryPolicy;
}

/** The recorder was used out of order (a step skipped, a step after the end, an upload before it). */
export class RecordingStateError extends Error {
  override readonly name = 'RecordingStateError';
}

/** An object store that answered a write with other bytes than it was given. */
export class UploadMismatchError extends ObjectStoreError {
  override readonly name = 'UploadMismatchError';
}

interface Encoded {
  readonly trajectory: Buffer;
  readonly sheets: { camera: string; png: Buffer; layout: FrameRef['layout'] }[];
}

const spaceOf = (space: Space): TrajectoryHeader['actionSpace'] => ({
  kind: space.kind,
  shape: [...space.shape],
  dtype: space.dtype,
  ...(space.kind === 'discrete' && { n: space.n }),
});

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/**
 * Records one episode as it runs and writes what it leaves behind (docs/formats.md): the trajectory (every step,
 * gzip'd NDJSON, compressed as the steps come), one PNG sprite sheet per camera (frames at step 0, every
 * `frameInterval` steps and at the last step, at most `sheetCapacity` per camera: the asked interval is widened
 * to fit the episode's step limit), and the sampled steps for the event. Wire it into the episode with `hooks`.
 */
export class EpisodeRecorder {
  /** The episode's step limit (the header's maxSteps). */
  readonly limit: number;
  /** Every how many steps a frame is rendered; undefined when no frames are (no camera, or not MetaWorld). */
  readonly frameInterval: number | undefined;
  private readonly actionSpace: Space;
  private readonly renderer: SceneRenderer | undefined;
  private readonly cameras: readonly string[];
  private readonly frames = new Map<string, Frame[]>();
  private readonly frameSteps: number[] = [];
  private readonly summaries: SampledStep[] = [];
  private readonly gzip: Gzip = createGzip({ level: 9 });
  private readonly compressed: Buffer[] = [];
  private readonly compressedAll: Promise<void>;
  private started = false;
  private ended = false;
  private steps = 0;
  private encoded: Promise<Encoded> | undefined;

  constructor(options: EpisodeRecorderOptions) {
    const { env, camera } = options;
    this.limit = episodeStepLimit(env, options.maxSteps);
    this.actionSpace = env.actionSpace;
    if (camera) {
      if (camera.names.length > MAX_CAMERAS) throw new RangeError(`at most ${MAX_CAMERAS} cameras, got ${camera.names.length}`);
      if (new Set(camera.names).size !== camera.names.length) throw new RangeError(`camera names repeat: ${camera.names.join(', ')}`);
    }
    if (camera && env instanceof SawyerXYZEnv) {
      this.renderer = new SceneRenderer(env.physics, { width: camera.width, height: camera.height });
      const known = this.renderer.cameras();
      const unknown = camera.names.find((name) => !known.includes(name));
      if (unknown !== undefined) throw new UnknownCameraError(unknown, known);
      this.cameras = camera.names;
      this.frameInterval = frameInterval(this.limit, camera.everyNSteps, sheetCapacity(camera.width, camera.height, camera.names.length));
    } else {
      this.cameras = [];
    }
    this.gzip.on('data', (chunk: Buffer) => this.compressed.push(chunk));
    this.compressedAll = new Promise((resolve, reject) => this.gzip.once('end', resolve).once('error', reject));
    this.compressedAll.catch(() => {}); // awaited by upload; a recorder never uploaded must not leave it unhandled
    const header: TrajectoryHeader = {
      format: TRAJECTORY_FORMAT,
      version: TRAJECTORY_VERSION,
      env: env.id,
      task: options.task,
      seed: options.seed,
      episodeIndex: options.episodeIndex,
      observationSpace: spaceOf(env.observationSpace),
      actionSpace: spaceOf(env.actionSpace),
      maxSteps: this.limit,
      ...(camera && { camera: { ...camera, names: [...camera.names] } }),
    };
    this.writeLine(header);
  }

  /** The episode callbacks that feed this recorder: spread them into `AgentEpisodeParams`. */
  get hooks(): Required<Pick<AgentEpisodeParams, 'onReset' | 'onTransition'>> {
    return { onReset: (observation) => this.start(observation), onTransition: (transition) => this.record(transition) };
  }

  /** Right after the environment's reset: renders step 0. (The reset observation is step 1's `observation`.) */
  start(_resetObservation: Observation): void {
    if (this.started) throw new RecordingStateError('start() called twice: one recorder per episode');
    this.started = true;
    this.renderFrames(0);
  }

  /** After every step, in order (EpisodeTransition from runAgentEpisode's `onTransition`). */
  record(transition: EpisodeTransition): void {
    if (!this.started) throw new RecordingStateError('record() before start(): call start with the reset observation first');
    if (this.ended) throw new RecordingStateError(`step ${transition.step} recorded after the episode ended at step ${this.steps}`);
    if (transition.step !== this.steps + 1) throw new RecordingStateError(`step ${transition.step} recorded after step ${this.steps}`);
    if (transition.step > this.limit) throw new RecordingStateError(`step ${transition.step} is beyond the episode's limit of ${this.limit} steps`);
    // The environment's own limit is never below ours: an earlier truncation is a smaller maxSteps than we were given.
    if (transition.truncated && transition.step < this.limit)
      throw new RecordingStateError(
        `the episode was truncated at step ${transition.step}, before the recorder's limit of ${this.limit}: give both the same maxSteps`,
      );
    this.steps = transition.step;
    this.ended = transition.terminated || transition.truncated;
    const { step, observation, action, reward, terminated, truncated, info, actLatencyMs } = transition;
    this.writeLine({
      step,
      observation,
      action,
      reward,
      terminated,
      truncated,
      info,
      actLatencyMs,
      ...(this.ended && { finalObservation: transition.nextObservation }),
    });
    this.summaries.push(sampledStepOf(transition, this.actionSpace));
    if (this.frameInterval !== undefined && (step % this.frameInterval === 0 || this.ended)) this.renderFrames(step);
  }

  /**
   * Writes the trajectory and every sheet under content-addressed keys, retrying transient store errors
   * (`retry`, DEFAULT_UPLOAD_RETRY by default). Resolves only when every object is written; otherwise it rejects
   * (with the store's last error) after every write has settled. Calling it again writes the same bytes, under
   * the same keys.
   */
  async upload(store: ObjectStore, options: UploadOptions = {}): Promise<EpisodeRecording> {
    if (!this.ended) throw new RecordingStateError(`the episode has not ended (${this.steps} steps recorded): upload after its last step`);
    this.encoded ??= this.encode();
    const { trajectory, sheets } = await this.encoded;
    const retry = options.retry ?? DEFAULT_UPLOAD_RETRY;
    const writes = await Promise.allSettled([
      putChecked(store, trajectory, TRAJECTORY_CONTENT_TYPE, retry),
      ...sheets.map((sheet) => putChecked(store, sheet.png, FRAMES_CONTENT_TYPE, retry)),
    ]);
    const failed = writes.find((w) => w.status === 'rejected');
    if (failed) throw failed.reason;
    const [trajectoryRef, ...sheetRefs] = writes.map((w) => (w as PromiseFulfilledResult<ObjectRef>).value);
    const steps = [...this.frameSteps];
    return {
      trajectory: trajectoryRef!,
      trajectoryKey: trajectoryRef!.key,
      frames: sheets.map((sheet, i) => ({ camera: sheet.camera, ...sheetRefs[i]!, steps, layout: sheet.layout })),
      sampledSteps: sampleStepNumbers(this.steps).map((n) => this.summaries[n - 1]!),
    };
  }

  private writeLine(value: unknown): void {
    this.gzip.write(`${exactJson(value)}\n`);
  }

  private renderFrames(step: number): void {
    if (!this.renderer) return;
    for (const camera of this.cameras) {
      const frames = this.frames.get(camera) ?? [];
      frames.push(this.renderer.render(camera));
      this.frames.set(camera, frames);
    }
    this.frameSteps.push(step);
  }

  /** Finishes the trajectory and encodes the sheets, once; the raw frames are let go. */
  private async encode(): Promise<Encoded> {
    this.gzip.end();
    await this.compressedAll;
    const sheets = this.cameras.map((camera) => ({ camera, ...encodeSpriteSheet(this.frames.get(camera)!) }));
    this.frames.clear();
    return { trajectory: Buffer.concat(this.compressed), sheets };
  }
}

/** One content-addressed write, retried, whose answer must name the bytes we sent. */
const putChecked = async (store: ObjectStore, bytes: Buffer, contentType: string, retry: RetryPolicy): Promise<ObjectRef> => {
  const hex = sha256(bytes);
  const stored = await withRetry(() => store.putContent(bytes, { contentType }), retry);
  if (stored.sha256 !== hex || stored.size !== bytes.length || stored.key !== contentKey(hex)) {
    throw new UploadMismatchError(`the store wrote ${stored.key} (${stored.size} bytes, sha256 ${stored.sha256}) for ${bytes.length} bytes with sha256 ${hex}`);
  }
  return { key: stored.key, contentType, bytes: bytes.length, sha256: hex };
};
