"""Agents for libs/agent's tests of the Python SDK (run from jest as real processes)."""

import time

import numpy as np

from kinitro_agent import Agent


class Echo(Agent):
    """Returns every observation tensor as an action tensor of the same name, plus "action" from the spec."""

    name = "echo"
    version = "2.0.0"
    wants = ("camera/corner",)

    def setup(self, tasks):
        super().setup(tasks)
        self.seen = []

    def reset(self, seed, task):
        self.seed, self.task = seed, task

    def act(self, observation):
        spec = self.tasks[self.task].action["action"]
        # The seed travels as a uint64: echo it in the action so the test sees it arrived intact.
        action = np.full(spec.shape, float(self.seed % 1000))
        return {"action": action, **{f"echo/{k}": v for k, v in observation.items()}}


class Raises(Agent):
    def act(self, observation):
        raise RuntimeError("policy exploded")


class Slow(Agent):
    def act(self, observation):
        time.sleep(2)
        return np.zeros(4)


class NanAction(Agent):
    def act(self, observation):
        return np.array([0.0, np.nan, 0.0, 0.0])


class Huge(Agent):
    def act(self, observation):
        return {"action": np.zeros(4), "blob": np.zeros(2 * 1024 * 1024, dtype=np.uint8)}


class Counter(Agent):
    """Answers [seed, steps so far in this episode, 0, 0]: its action is its per-episode state, up to 4 at once."""

    max_concurrent_episodes = 4

    def reset(self, seed, task):
        self.seed, self.steps = seed, 0

    def act(self, observation):
        self.steps += 1
        return np.array([self.seed, self.steps - 1, 0.0, 0.0])
