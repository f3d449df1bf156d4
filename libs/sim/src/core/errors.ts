/** An action the environment cannot interpret (wrong length, not a valid discrete choice). */
export class InvalidActionError extends Error {
  override readonly name = 'InvalidActionError';
}

/** A call the environment's episode state does not allow (step before reset, step after truncation). */
export class EpisodeStateError extends Error {
  override readonly name = 'EpisodeStateError';
}

/** An environment name that is not registered; the message lists the valid names. */
export class UnknownEnvironmentError extends Error {
  override readonly name = 'UnknownEnvironmentError';
  constructor(
    readonly requested: string,
    readonly valid: readonly string[],
  ) {
    super(`unknown environment "${requested}"; valid names: ${valid.join(', ')}`);
  }
}

/** A camera name the model does not have; the message lists the model's cameras. */
export class UnknownCameraError extends Error {
  override readonly name = 'UnknownCameraError';
  constructor(
    readonly requested: string,
    readonly valid: readonly string[],
  ) {
    super(`unknown camera "${requested}"; cameras: ${valid.join(', ')}`);
  }
}

/** The MuJoCo assets folder or model could not be loaded. */
export class SimulatorLoadError extends Error {
  override readonly name = 'SimulatorLoadError';
}
