import type { ModelLibrary } from '../../mujoco/models.js';
import type { SawyerXYZEnv } from '../sawyer-env.js';
import { ButtonPressTopdownEnv } from './button-press-topdown.js';
import { DoorOpenEnv } from './door-open.js';
import { DrawerCloseEnv, DrawerOpenEnv } from './drawer.js';
import { PegInsertSideEnv } from './peg-insert-side.js';
import { PickPlaceEnv } from './pick-place.js';
import { PushEnv } from './push.js';
import { ReachEnv } from './reach.js';
import { WindowCloseEnv, WindowOpenEnv } from './window.js';

/** The MetaWorld v3 tasks implemented in TypeScript, by MetaWorld name. */
export const METAWORLD_TASKS: Readonly<Record<string, new (library: ModelLibrary) => SawyerXYZEnv>> = {
  'reach-v3': ReachEnv,
  'push-v3': PushEnv,
  'pick-place-v3': PickPlaceEnv,
  'door-open-v3': DoorOpenEnv,
  'drawer-open-v3': DrawerOpenEnv,
  'drawer-close-v3': DrawerCloseEnv,
  'button-press-topdown-v3': ButtonPressTopdownEnv,
  'peg-insert-side-v3': PegInsertSideEnv,
  'window-open-v3': WindowOpenEnv,
  'window-close-v3': WindowCloseEnv,
};
