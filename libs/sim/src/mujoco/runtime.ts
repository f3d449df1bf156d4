import loadMujoco, { type MainModule } from '@mujoco/mujoco';

let runtime: Promise<MainModule> | undefined;

/** The MuJoCo WASM module, instantiated once per process (single-threaded build). */
export const mujocoRuntime = (): Promise<MainModule> => (runtime ??= loadMujoco());

export type { MainModule as MujocoModule };
