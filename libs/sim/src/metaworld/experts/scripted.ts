import { add, dist2d, norm, sub, type Vec3 } from '../vec.js';
import { action, move, parse, type Policy } from './policy.js';

/**
 * Scripted experts for the MT10 tasks: TypeScript ports of MetaWorld v3's scripted policies
 * (`metaworld/policies/sawyer_*_v3_policy.py`, MetaWorld 3.1.1, Copyright (c) 2019 Meta-World Team,
 * MIT License). Each keeps MetaWorld's waypoints (above the object, down onto it, then to the goal),
 * thresholds, gains and grab efforts; the proportional controller is `move` from `./policy.ts`.
 */

const reach: Policy = {
  act: (o) => {
    const { hand, goal } = parse(o);
    return action(move(hand, goal, 5.0), 0.0);
  },
};

const push: Policy = {
  act: (o) => {
    const { hand, obj, goal } = parse(o);
    const puck = add(obj, [-0.005, 0, 0]);
    let to: Vec3;
    if (dist2d(hand, puck) > 0.02) to = add(puck, [0, 0, 0.2]);
    else if (Math.abs(hand[2] - puck[2]) > 0.04) to = add(puck, [0, 0, 0.03]);
    else to = goal;
    const grab = dist2d(hand, obj) > 0.02 || Math.abs(hand[2] - obj[2]) > 0.1 ? 0.0 : 0.6;
    return action(move(hand, to, 10.0), grab);
  },
};

const pickPlace: Policy = {
  act: (o) => {
    const { hand, gripper, obj, goal } = parse(o);
    const puck = add(obj, [-0.005, 0, 0]);
    let to: Vec3;
    if (dist2d(hand, puck) > 0.02) to = add(puck, [0, 0, 0.1]);
    else if (Math.abs(hand[2] - puck[2]) > 0.05 && puck[2] < 0.04) to = add(puck, [0, 0, 0.03]);
    else if (gripper > 0.73) to = hand;
    else to = goal;
    const grab = norm(sub(hand, obj)) < 0.07 ? 1.0 : 0.0;
    return action(move(hand, to, 10.0), grab);
  },
};

const doorOpen: Policy = {
  act: (o) => {
    const { hand, obj } = parse(o);
    const door = add(obj, [-0.05, 0, 0]);
    let to: Vec3;
    if (dist2d(hand, door) > 0.12) to = add(door, [0.06, 0.02, 0.2]);
    else if (Math.abs(hand[2] - door[2]) > 0.04) to = add(door, [0.06, 0.02, 0]);
    else to = door;
    return action(move(hand, to, 25.0), 1.0);
  },
};

const drawerOpen: Policy = {
  act: (o) => {
    const { hand, obj } = parse(o);
    const handle = add(obj, [0, 0, -0.02]);
    let delta: Vec3;
    if (dist2d(hand, handle) > 0.06) delta = move(hand, add(handle, [0, 0, 0.3]), 4.0);
    else if (Math.abs(hand[2] - handle[2]) > 0.04) delta = move(hand, handle, 4.0);
    // Behind the handle, pull harder.
    else delta = move(hand, add(handle, [0, -0.06, 0]), 50.0);
    return action(delta, -1.0);
  },
};

const drawerClose: Policy = {
  act: (o) => {
    const { hand, obj } = parse(o);
    const handle = add(obj, [0, 0, -0.02]);
    let to: Vec3;
    if (hand[1] > handle[1]) {
      // In front of the drawer: rise first, then come back above the handle's front edge.
      to = hand[2] < handle[2] + 0.23 ? [hand[0], hand[1], handle[2] + 0.5] : add(handle, [0, -0.075, 0.23]);
    } else if (Math.abs(hand[2] - handle[2]) > 0.04) to = add(handle, [0, -0.075, 0]);
    else to = handle;
    return action(move(hand, to, 25.0), 1.0);
  },
};

const buttonPressTopdown: Policy = {
  act: (o) => {
    const { hand, obj } = parse(o);
    const to = dist2d(hand, obj) > 0.04 ? add(obj, [0, 0, 0.1]) : obj;
    return action(move(hand, to, 25.0), 1.0);
  },
};

const pegInsertSide: Policy = {
  act: (o) => {
    const { hand, obj: peg, goal } = parse(o);
    const hole: Vec3 = [-0.35, goal[1], 0.16];
    let to: Vec3;
    if (dist2d(hand, peg) > 0.04) to = add(peg, [0, 0, 0.3]);
    else if (Math.abs(hand[2] - peg[2]) > 0.025) to = peg;
    else if (Math.hypot(peg[1] - hole[1], peg[2] - hole[2]) > 0.03) to = add(hole, [0.4, 0, 0]);
    else to = hole;
    const grab = dist2d(hand, peg) > 0.04 || Math.abs(hand[2] - peg[2]) > 0.15 ? -1.0 : 0.6;
    return action(move(hand, to, 25.0), grab);
  },
};

/** Window handles: hook behind the handle, then slide along X (`direction` +1 opens, -1 closes). */
const windowSlide = (xOffset: number, hover: number, direction: number): Policy => ({
  act: (o) => {
    const { hand, obj } = parse(o);
    const handle = add(obj, [xOffset, -0.03, -0.08]);
    let to: Vec3;
    if (dist2d(hand, handle) > 0.04) to = add(handle, [0, 0, hover]);
    else if (Math.abs(hand[2] - handle[2]) > 0.02) to = handle;
    else to = add(handle, [0.1 * direction, 0, 0]);
    return action(move(hand, to, 25.0), 1.0);
  },
});

export const EXPERTS: Readonly<Record<string, Policy>> = {
  'reach-v3': reach,
  'push-v3': push,
  'pick-place-v3': pickPlace,
  'door-open-v3': doorOpen,
  'drawer-open-v3': drawerOpen,
  'drawer-close-v3': drawerClose,
  'button-press-topdown-v3': buttonPressTopdown,
  'peg-insert-side-v3': pegInsertSide,
  'window-open-v3': windowSlide(-0.03, 0.3, 1),
  'window-close-v3': windowSlide(0.03, 0.25, -1),
};
