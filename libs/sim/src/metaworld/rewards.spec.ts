import { describe, expect, it } from '@jest/globals';
import { makeMetaWorldEnv } from '../registry.js';
import { EXPERTS } from './experts/scripted.js';

/**
 * Per-step rewards of the ten MT10 tasks against MetaWorld v3's own formulas (reward_function_version
 * "v2" of `metaworld/envs/sawyer_*_v3.py`, `SawyerXYZEnv._gripper_caging_reward`, `utils/reward_utils.py`).
 *
 * How the literals were derived: each task ran its scripted expert from seed 7 (the trajectory depends
 * only on observations, never on rewards); at every step the raw MuJoCo state was dumped (finger sites,
 * pad bodies, peg head and collision-box sites, handle sites, door joint, the observation, the clipped
 * action, and the reset-time values MetaWorld stores: init_tcp, obj_init_pos, _target_pos,
 * peg_head_pos_init). A throwaway numpy script outside the repository, importing MetaWorld 3.1's
 * `reward_utils.py` unchanged, re-evaluated each task's compute_reward on those states. Two MetaWorld
 * behaviours matter here: peg-insert-side's class-level TARGET_RADIUS is 0.07 (not the base 0.05), and
 * pick-place's init_left_pad / init_right_pad are `get_body_com` views into MjData, i.e. the live pad
 * positions at every step. Over the first 150 steps of seeds 3, 7 and 11 the two implementations then
 * agree within 4e-15 on every task.
 */
const EXPECTED: Readonly<Record<string, ReadonlyArray<readonly [step: number, reward: number]>>> = {
  'reach-v3': [
    [10, 2.6912295691906913],
    [30, 9.275718861025526],
  ],
  // 30: caging only; 40: the gripper is on the puck (tcp_to_obj < 0.02), so 1 + 2·caging + 5·in_place is added.
  'push-v3': [
    [30, 0.7619978424224837],
    [40, 5.1930276171405705],
  ],
  // 23: approaching, the caging margins come from the live pads; 40, 48: lifted, 1 + 5·in_place is added.
  'pick-place-v3': [
    [23, 0.03792494325713738],
    [40, 2.758001826492632],
    [48, 5.637221237727105],
  ],
  'door-open-v3': [
    [30, 2.293582127032695],
    [70, 7.495674004507126],
  ],
  'drawer-open-v3': [
    [30, 2.2354661113816587],
    [85, 8.894586659909864],
  ],
  'drawer-close-v3': [
    [1, 0.48236812814146407],
    [6, 0.007699227593714838],
  ],
  // 65: the fingers are within 3 cm of the button, so 5·button_pressed is added.
  'button-press-topdown-v3': [
    [30, 1.6391142683054403],
    [65, 4.93964178799849],
  ],
  // 40: caging; 60, 74: lifted toward the hole, in_place shaped with TARGET_RADIUS 0.07.
  'peg-insert-side-v3': [
    [40, 0.03330091440661975],
    [60, 2.901850078608528],
    [74, 5.79360732027718],
  ],
  'window-open-v3': [
    [30, 0.5444524468975314],
    [85, 3.8562426458687726],
  ],
  'window-close-v3': [
    [30, 0.9609724197508607],
    [80, 7.1187922282928975],
  ],
};

const SEED = 7;

describe('MetaWorld v3 rewards, recomputed from MetaWorld formulas on the same states', () => {
  it.each(Object.entries(EXPECTED))(
    '%s',
    async (task, checkpoints) => {
      const env = await makeMetaWorldEnv(task);
      try {
        const expert = EXPERTS[task]!;
        const last = Math.max(...checkpoints.map(([step]) => step));
        let { observation } = env.reset({ seed: SEED });
        const rewards: number[] = [];
        for (let step = 1; step <= last; step++) {
          const result = env.step(expert.act(observation));
          observation = result.observation;
          rewards[step] = result.reward;
        }
        for (const [step, reward] of checkpoints) expect({ step, reward: rewards[step] }).toEqual({ step, reward: expect.closeTo(reward, 9) });
      } finally {
        env.close();
      }
    },
    30_000,
  );
});
