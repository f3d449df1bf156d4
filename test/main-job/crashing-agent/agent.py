"""A miner's buggy agent: it divides by a step count it forgot to start at one, so it raises on its second step."""

import numpy as np

from kinitro_agent import Agent


class Crashing(Agent):
    def reset(self, seed, task):
        self.task = task
        self.steps = -2

    def act(self, observation):
        self.steps += 1
        scale = 1.0 / self.steps
        return np.zeros(self.tasks[self.task].action["action"].shape) * scale
