"""Serves an Agent on a Unix socket: `python3 -m kinitro_agent.serve --agent module:Class [--socket PATH]`.

Where to listen comes from --socket or $KINITRO_AGENT_SOCKET (the evaluator sets it). Each episode is a Reset,
then its steps in order on an ActStream (or as unary Act calls). An agent taking one episode at a time (the
default) sees them one after another; one whose max_concurrent_episodes is above 1 may have that many in flight,
each on its own shallow copy of the agent, each stream on its own thread, or (protocol 1.3) their steps several
in one message on an ActBatchStream. The server stops after Shutdown, exiting 0.
"""

import argparse
from concurrent import futures
import copy
import importlib
import json
import os
from pathlib import Path
import stat
import sys
import threading
import traceback

import grpc

from .agent import Agent
from .contract import PROTOCOL_VERSION, SERVICE, SERVICE_DESCRIPTOR, message
from .tensors import TensorError, check, decode, encode, spaces_from_wire

SOCKET_VARIABLE = "KINITRO_AGENT_SOCKET"
DEFAULT_MAX_MESSAGE_BYTES = 4 * 1024 * 1024


class _Refused(Exception):
    def __init__(self, code: grpc.StatusCode, detail: str):
        super().__init__(detail)
        self.code = code


class _Running:
    """An agent and the task spaces of the episode it is running."""

    def __init__(self, agent: Agent, spaces):
        self.agent = agent
        self.spaces = spaces


class _Episodes:
    """The episodes in flight. The one without an id (older evaluators, unary Act) and, for an agent taking one at
    a time, every episode run on the agent itself; with an id and more allowed, each on its own shallow copy of
    the set-up agent, forgotten when the ActStream that carried its steps ends."""

    def __init__(self, agent: Agent):
        self.agent = agent
        self.single = _Running(agent, None)
        self.by_id = {}
        self.lock = threading.Lock()

    def _concurrent(self, episode_id: str) -> bool:
        return bool(episode_id) and self.agent.max_concurrent_episodes > 1

    def start(self, episode_id: str, spaces) -> _Running:
        if not self._concurrent(episode_id):
            self.single.spaces = spaces
            return self.single
        running = _Running(copy.copy(self.agent), spaces)
        with self.lock:
            self.by_id[episode_id] = running
        return running

    def of(self, episode_id: str) -> _Running:
        if not self._concurrent(episode_id):
            return self.single
        with self.lock:
            running = self.by_id.get(episode_id)
        if running is None:
            raise _Refused(grpc.StatusCode.FAILED_PRECONDITION, f"Act for episode {episode_id}, which no Reset started (or whose ActStream ended)")
        return running

    def forget(self, episode_ids) -> None:
        with self.lock:
            for episode_id in episode_ids:
                self.by_id.pop(episode_id, None)


class _Servicer:
    """The RPCs over an Agent: decode and check the way in, encode and check the way out."""

    def __init__(self, agent: Agent, identity: tuple[str, str], on_shutdown):
        self.agent = agent
        self.identity = identity
        self.on_shutdown = on_shutdown
        self.tasks = {}
        self.episodes = _Episodes(agent)

    def Ping(self, request):
        self.tasks = {t.task: spaces_from_wire(t) for t in request.tasks}
        self.agent.setup(self.tasks)
        name, version = self.identity
        return message("PingResponse")(
            agent_name=self.agent.name or name,
            agent_version=self.agent.version or version,
            wants=list(self.agent.wants),
            protocol_version=PROTOCOL_VERSION,
            max_concurrent_episodes=self.agent.max_concurrent_episodes,
        )

    def Reset(self, request):
        spaces = self.tasks.get(request.task)
        if spaces is None and self.tasks:
            raise _Refused(grpc.StatusCode.FAILED_PRECONDITION, f"task {request.task} was not announced in ping")
        self.episodes.start(request.episode_id, spaces).agent.reset(int(request.seed), request.task)
        return message("ResetResponse")()

    def Act(self, request):
        response = message("ActResponse")()
        self._act(request, response)
        return response

    def _act(self, request, response) -> None:
        """One step: its episode's agent acts on the checked observation; the action, checked, goes into `response`."""
        running = self.episodes.of(request.episode_id)
        try:
            observation = {name: decode(name, tensor) for name, tensor in request.observation.items()}
            if running.spaces is not None:
                for name, spec in running.spaces.observation.items():
                    if name not in observation:
                        raise TensorError(name, "missing", "required tensor is missing")
                    check(name, observation[name], spec)
        except TensorError as error:
            raise _Refused(grpc.StatusCode.INVALID_ARGUMENT, f"observation {error}") from error
        result = running.agent.act(observation)
        named = result if isinstance(result, dict) else {"action": result}
        specs = running.spaces.action if running.spaces is not None else {}
        for name, value in named.items():
            response.action[name].CopyFrom(encode(name, value, specs.get(name)))

    def ActStream(self, requests):
        """The steps, in order, one answer each; the first failure ends the stream with its status. Its end (the
        evaluator's half-close, or a cancel) ends the episodes whose ids its steps carried."""
        episode_ids = set()
        try:
            for request in requests:
                episode_ids.add(request.episode_id)
                yield self.Act(request)
        finally:
            self.episodes.forget(episode_ids)

    def ActBatchStream(self, batches):
        """Each batch's steps (of distinct episodes) answered in order in one message; the first failure ends the
        stream with its status. A batch's finished_episode_ids, and the stream's end, end those episodes."""
        episode_ids = set()
        try:
            for batch in batches:
                self.episodes.forget(batch.finished_episode_ids)
                episode_ids.difference_update(batch.finished_episode_ids)
                response = message("ActBatchResponse")()
                for request in batch.steps:
                    episode_ids.add(request.episode_id)
                    self._act(request, response.actions.add())
                yield response
        finally:
            self.episodes.forget(episode_ids)

    def Shutdown(self, request):
        self.agent.close()
        threading.Thread(target=self.on_shutdown, daemon=True).start()
        return message("ShutdownResponse")()


def _abort(context, error: Exception):
    if isinstance(error, _Refused):
        context.abort(error.code, str(error))
    traceback.print_exc(file=sys.stderr)  # the agent's own failure: its traceback to stderr, its message to the caller
    context.abort(grpc.StatusCode.INTERNAL, f"{type(error).__name__}: {error}")


def _handler(method, descriptor):
    codecs = dict(
        request_deserializer=message(descriptor.input_type.name).FromString,
        response_serializer=message(descriptor.output_type.name).SerializeToString,
    )
    if descriptor.client_streaming:

        def handle_stream(requests, context):
            try:
                yield from method(requests)
            except grpc.RpcError:
                return  # from the request iterator: the evaluator cancelled the stream (a missed deadline, its end)
            except Exception as error:
                _abort(context, error)

        return grpc.stream_stream_rpc_method_handler(handle_stream, **codecs)

    def handle(request, context):
        try:
            return method(request)
        except Exception as error:
            _abort(context, error)

    return grpc.unary_unary_rpc_method_handler(handle, **codecs)


def _manifest_identity(directory: Path) -> tuple[str, str]:
    try:
        manifest = json.loads((directory / "kinitro.json").read_text())
        return str(manifest.get("name", "agent")), str(manifest.get("version", "0.0.0"))
    except (OSError, ValueError):
        return "agent", "0.0.0"


def serve(agent: Agent, socket: str, max_message_bytes: int = DEFAULT_MAX_MESSAGE_BYTES) -> None:
    """Serves until Shutdown (or SIGTERM, which ends the process)."""
    if os.path.exists(socket) and stat.S_ISSOCK(os.lstat(socket).st_mode):
        os.unlink(socket)  # left by an earlier run; anything else at the path is not ours to remove
    options = [("grpc.max_receive_message_length", max_message_bytes), ("grpc.max_send_message_length", max_message_bytes)]
    # Each episode's ActStream holds a worker for the episode's life; Reset and Shutdown need another, and one more
    # covers a stream finishing its end while the next episode's opens.
    workers = max(1, agent.max_concurrent_episodes) + 2
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=workers), options=options, maximum_concurrent_rpcs=workers + 2)
    servicer = _Servicer(agent, _manifest_identity(Path.cwd()), lambda: server.stop(grace=1))
    handlers = {m.name: _handler(getattr(servicer, m.name), m) for m in SERVICE_DESCRIPTOR.methods}
    server.add_generic_rpc_handlers((grpc.method_handlers_generic_handler(SERVICE, handlers),))
    server.add_insecure_port(f"unix:{socket}")
    server.start()
    server.wait_for_termination()


def load_agent(spec: str) -> Agent:
    """`module:Class` (or `module:factory`), imported from the working directory (the agent's repo root)."""
    module_name, _, attribute = spec.partition(":")
    if not module_name or not attribute:
        raise SystemExit(f"--agent must be module:Class, got {spec!r}")
    if os.getcwd() not in sys.path:
        sys.path.insert(0, os.getcwd())
    agent = getattr(importlib.import_module(module_name), attribute)()
    if not isinstance(agent, Agent):
        raise SystemExit(f"{spec} must build a kinitro_agent.Agent, got {type(agent).__name__}")
    return agent


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python3 -m kinitro_agent.serve", description=__doc__.splitlines()[0])
    parser.add_argument("--agent", required=True, help="module:Class of the agent, importable from the working directory")
    parser.add_argument("--socket", default=os.environ.get(SOCKET_VARIABLE), help=f"Unix socket path (default ${SOCKET_VARIABLE})")
    parser.add_argument("--max-message-bytes", type=int, default=DEFAULT_MAX_MESSAGE_BYTES)
    args = parser.parse_args(argv)
    if not args.socket:
        parser.error(f"where to listen: pass --socket PATH or set {SOCKET_VARIABLE}")
    serve(load_agent(args.agent), args.socket, args.max_message_bytes)


if __name__ == "__main__":
    main()
