import type { MjModel } from '@mujoco/mujoco';
import { SimulatorLoadError } from '../core/errors.js';
import { AssetMount, resolveAssetsDir } from './assets.js';
import { mujocoRuntime, type MujocoModule } from './runtime.js';

/**
 * Compiles each MetaWorld XML once per process and hands out private copies, because tasks edit
 * their model (body and site positions) on every reset. The templates live as long as the process.
 */
export class ModelLibrary {
  private readonly templates = new Map<string, MjModel>();
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

  /** A fresh model for the XML (path relative to the assets folder); the caller must delete() it. */
  instantiate(xmlRelative: string): MjModel {
    let template = this.templates.get(xmlRelative);
    if (!template) {
      const path = this.mount.mount(xmlRelative);
      try {
        template = this.mj.MjModel.from_xml_path(path);
      } catch (cause) {
        throw new SimulatorLoadError(`MuJoCo could not compile ${xmlRelative}: ${describe(this.mj, cause)}`, { cause });
      }
      this.templates.set(xmlRelative, template);
    }
    return new this.mj.MjModel(template);
  }
}

/** Emscripten throws C++ exceptions as pointers; turn them into text when the runtime can. */
const describe = (mj: MujocoModule, cause: unknown): string => {
  if (cause instanceof Error) return cause.message;
  const withMessage = mj as unknown as { getExceptionMessage?: (e: unknown) => string[] };
  return withMessage.getExceptionMessage ? withMessage.getExceptionMessage(cause).join(': ') : String(cause);
};
