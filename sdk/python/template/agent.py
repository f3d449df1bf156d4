"""Your agent. Keep the class name in sync with kinitro.json's entrypoint (--agent agent:MyAgent).

Run it locally: PYTHONPATH=<kinitro>/sdk/python python3 -m kinitro_agent.serve --agent agent:MyAgent --socket /tmp/agent.sock
"""

import numpy as np

from kinitro_agent import Agent


class MyAgent(Agent):
    # Up to 4 episodes at once, each on its own copy of this agent: per-episode state is assigned in reset (as
    # self.task and self.rng below), so the copies never share it. Set 1 if each step needs the machine to itself.
    max_concurrent_episodes = 4

    def setup(self, tasks):
        # tasks: task name -> TaskSpaces (observation and action specs: shape, dtype, low, high). Load weights here,
        # from files in this directory: the sandbox has no network.
        super().setup(tasks)

    def reset(self, seed, task):
        self.task = task
        self.rng = np.random.default_rng(seed)

    def act(self, observation):
        # observation["state"]: the environment's state vector (39 float64 values for MetaWorld).
        # Return the action as a numpy array; it is cast to the task's action dtype and shape.
        spec = self.tasks[self.task].action["action"]
        return np.zeros(spec.shape)
