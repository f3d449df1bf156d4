"""The agent contract's message classes, built at import time from the descriptor set that `npm run proto:gen`
compiles from proto/kinitro/agent/v1/agent.proto (agent_v1.binpb): the .proto stays the one source of truth and
no protoc or grpcio-tools is needed, only the protobuf runtime."""

from functools import cache
from pathlib import Path

from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

#: The revision of kinitro.agent.v1 this SDK implements ("1.1": ActStream; "1.2": concurrent episodes, each named by
#: an episode id on its own ActStream; "1.3": their steps several in one message on ActBatchStream); the same value
#: as PROTOCOL_VERSION in libs/agent.
PROTOCOL_VERSION = "1.3"

PACKAGE = "kinitro.agent.v1"
SERVICE = f"{PACKAGE}.AgentService"

_pool = descriptor_pool.DescriptorPool()
for _file in descriptor_pb2.FileDescriptorSet.FromString((Path(__file__).parent / "agent_v1.binpb").read_bytes()).file:
    _pool.Add(_file)


def _message_class(descriptor):
    # protobuf >= 4.22 has GetMessageClass; 4.21 (Debian 12) only the factory's GetPrototype.
    get = getattr(message_factory, "GetMessageClass", None)
    return get(descriptor) if get else message_factory.MessageFactory(_pool).GetPrototype(descriptor)


@cache  # building a class from the pool costs ~30 µs, more than the rest of an Act
def message(name: str):
    """The class of message `name` of the package, e.g. message("Tensor")."""
    return _message_class(_pool.FindMessageTypeByName(f"{PACKAGE}.{name}"))


SERVICE_DESCRIPTOR = _pool.FindServiceByName(SERVICE)
#: DType enum: name -> number, e.g. DTYPE["DTYPE_FLOAT32"] == 1.
DTYPE = {v.name: v.number for v in _pool.FindEnumTypeByName(f"{PACKAGE}.DType").values}

Tensor = message("Tensor")
