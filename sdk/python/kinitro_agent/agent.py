"""What a miner writes: a subclass of Agent with reset() and act()."""

import numpy as np

from .tensors import TaskSpaces


class Agent:
    """An agent the evaluator drives over gRPC: setup once, then reset before every episode and act every step.

    `act` receives the observation as a dict of numpy arrays ("state" is always there) and returns the action:
    a numpy array (the "action" tensor; cast to the task's action dtype and shape) or a dict name -> array.

    Concurrent episodes: with `max_concurrent_episodes` above 1 the evaluator may run that many episodes at once
    (the simulation of one overlaps your work on another), and each gets its own shallow copy of the agent
    (copy.copy, taken after setup), on its own thread. Keep what an episode needs in attributes that `reset`
    assigns (`self.steps = 0`), not in module globals or containers created once and changed in place; what setup
    loaded is shared by all copies. Every step must still answer within the Act deadline while the others run.
    """

    #: Reported in Ping; default to the manifest's name and version (kinitro.json) when left None.
    name: str | None = None
    version: str | None = None
    #: Observation keys wanted beyond "state" (e.g. "camera/corner").
    wants: tuple = ()
    #: The most episodes the agent takes at once, each on its own copy; 1 (the default): one at a time, on itself.
    max_concurrent_episodes: int = 1

    def setup(self, tasks: dict[str, TaskSpaces]) -> None:
        """Called once before any episode with every task of the session; load models here."""
        self.tasks = tasks

    def reset(self, seed: int, task: str) -> None:
        """Called before every episode."""

    def act(self, observation: dict[str, np.ndarray]) -> np.ndarray | dict[str, np.ndarray]:
        raise NotImplementedError("an Agent must implement act(observation)")

    def close(self) -> None:
        """Called once after the last episode, before the server stops."""
