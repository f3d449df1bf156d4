"""MetaWorld reach-v3 scripted expert, our own port of the policy in libs/sim/src/metaworld/experts/scripted.ts:
move the hand toward the goal with a proportional gain of 5, gripper open."""

import numpy as np

from kinitro_agent import Agent

GAIN = 5.0


class ReachExpert(Agent):
    # Stateless, so episodes may run side by side (the evaluator's simulation of one overlaps this agent's work on
    # another).
    max_concurrent_episodes = 32

    def act(self, observation):
        state = observation["state"]  # 39 values: hand xyz, gripper, objects..., goal xyz last
        hand, goal = state[0:3], state[-3:]
        return np.append((goal - hand) * GAIN, 0.0)
