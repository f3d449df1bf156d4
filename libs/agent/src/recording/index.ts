export {
  readTrajectory,
  TrajectoryFormatError,
  trajectoryHeaderSchema,
  trajectoryStepSchema,
  TRAJECTORY_CONTENT_TYPE,
  TRAJECTORY_FORMAT,
  TRAJECTORY_VERSION,
  type Trajectory,
  type TrajectoryHeader,
  type TrajectoryStep,
} from './trajectory-format.js';
export { MAX_SAMPLED_STEPS, sampleStepNumbers, scalarInfo, type SampledStep } from './sampled-steps.js';
export {
  encodeSpriteSheet,
  frameInterval,
  FRAMES_CONTENT_TYPE,
  MAX_FRAME_PIXELS,
  MAX_SHEET_FRAMES,
  sheetCapacity,
  spriteLayout,
  type SpriteLayout,
} from './sprite-sheet.js';
export { DEFAULT_UPLOAD_RETRY, isTransientStoreError, withRetry, type RetryPolicy } from './retry.js';
export {
  EpisodeRecorder,
  MAX_CAMERAS,
  RecordingStateError,
  UploadMismatchError,
  type CameraSpec,
  type EpisodeRecorderOptions,
  type EpisodeRecording,
  type FrameRef,
  type ObjectRef,
  type UploadOptions,
} from './episode-recorder.js';
export { replayTrajectory, type ReplayResult } from './replay.js';
