"""What a miner writes: a subclass of Agent with reset() and act()."""

import numpy as np

from .tensors import TaskSpaces


class Agent:
    """An agent the evaluator drives over gRPC: setup once, then reset before every episode and act every step.

    `act` receives the observation as a dict of numpy arrays ("state" is always there) and returns the action:
    a numpy array (the "action" tensor; cast to the task's action dtype and shape) or a dict name -> array.
    """

    #: Reported in Ping; default to the manifest's name and version (kinitro.json) when left None.
    name: str | None = None
    version: str | None = None
    #: Observation keys wanted beyond "state" (e.g. "camera/corner").
    wants: tuple = ()

    def setup(self, tasks: dict[str, TaskSpaces]) -> None:
        """Called once before any episode with every task of the session; load models here."""
        self.tasks = tasks

    def reset(self, seed: int, task: str) -> None:
        """Called before every episode."""

    def act(self, observation: dict[str, np.ndarray]) -> np.ndarray | dict[str, np.ndarray]:
        raise NotImplementedError("an Agent must implement act(observation)")

    def close(self) -> None:
        """Called once after the last episode, before the server stops."""
