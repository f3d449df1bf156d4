import type { MjModel } from '@mujoco/mujoco';
import { SimulatorLoadError } from '../core/errors.js';
import { AssetMount, resolveAssetsDir } from './assets.js';
import { mujocoRuntime, type MujocoModule } from './runtime.js';

/**
 * One compiled XML, shared by every environment of that XML in the process (MuJoCo's usual
 * pattern: one model, one MjData per simulation). Tasks move bodies and sites on reset, so each
 * environment keeps its own copy of `body_pos`/`site_pos` and installs it before it simulates;
 * the pristine values are kept here.
 */
export interface SharedModel {
  readonly model: MjModel;
  readonly defaultBodyPos: Float64Array;
  readonly defaultSitePos: Float64Array;
}

/** Compiles each MetaWorld XML once per process; the models live as long as the process. */
export class ModelLibrary {
  private readonly models = new Map<string, SharedModel>();
  private readonly mount: AssetMount;

  private constructor(
    readonly mj: MujocoModule,
    assetsDir: string,
  ) {
    this.mount = new AssetMount(mj, assetsDir);
  }

  private static shared = new Map<string, Promise<ModelLibrary>>();

  /** The library for an assets folder (default: from METAWORLD_ASSETS). */
  static async open(assetsDir: string = resolveAssetsDir()): Promise<ModelLibrary> {
    let library = ModelLibrary.shared.get(assetsDir);
    if (!library) {
      library = mujocoRuntime().then((mj) => new ModelLibrary(mj, assetsDir));
      ModelLibrary.shared.set(assetsDir, library);
    }
    return library;
  }

  /** The shared model of a task XML (path relative to the assets folder); never delete() it. */
  model(xmlRelative: string): SharedModel {
    let shared = this.models.get(xmlRelative);
    if (!shared) {
      const path = this.mount.mount(xmlRelative);
      let model: MjModel;
      try {
        model = this.mj.MjModel.from_xml_path(path);
      } catch (cause) {
        throw new SimulatorLoadError(`MuJoCo could not compile ${xmlRelative}: ${describe(this.mj, cause)}`, { cause });
      }
      shared = {
        model,
        defaultBodyPos: Float64Array.from(model.body_pos as Float64Array),
        defaultSitePos: Float64Array.from(model.site_pos as Float64Array),
      };
      this.models.set(xmlRelative, shared);
    }
    return shared;
  }
}

/** Emscripten throws C++ exceptions as pointers; turn them into text when the runtime can. */
const describe = (mj: MujocoModule, cause: unknown): string => {
  if (cause instanceof Error) return cause.message;
  const withMessage = mj as unknown as { getExceptionMessage?: (e: unknown) => string[] };
  return withMessage.getExceptionMessage ? withMessage.getExceptionMessage(cause).join(': ') : String(cause);
};
