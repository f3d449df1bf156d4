import type { AgentEpisodeParams } from '#agent';
import type { EpisodeWorkItem, EventDataInput } from '#contracts';
import type { Env } from '#sim';
import type { ObjectStore } from '#storage';

/** What EpisodeRecorded says about the episode's objects, all written before the event. */
export type RecordedObjects = Pick<EventDataInput<'EpisodeRecorded'>, 'trajectory' | 'trajectoryKey' | 'frames' | 'sampledSteps'>;

export interface EpisodeSpec {
  env: Env;
  task: string;
  seed: number;
  episodeIndex: number;
  camera?: EpisodeWorkItem['benchmark']['camera'];
}

/** One episode being recorded: hooks for the episode loop, then the upload of what they saw. */
export interface EpisodeRecording {
  readonly hooks: Pick<AgentEpisodeParams, 'onStep'>;
  upload(store: ObjectStore): Promise<RecordedObjects>;
}

export type RecorderFactory = (spec: EpisodeSpec) => EpisodeRecording;

/** INTERIM until the recorder (branch `recording`) is merged: records nothing, so EpisodeRecorded names no objects. */
export const episodeRecorder: RecorderFactory = () => ({
  hooks: {},
  upload: async () => ({ trajectoryKey: null, frames: [], sampledSteps: [] }),
});
