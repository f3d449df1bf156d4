"""Kinitro agent SDK: write an Agent, serve it with `python3 -m kinitro_agent.serve --agent module:Class`."""

from .agent import Agent
from .contract import PROTOCOL_VERSION
from .tensors import TaskSpaces, TensorError, TensorSpec

__all__ = ["Agent", "PROTOCOL_VERSION", "TaskSpaces", "TensorError", "TensorSpec"]
