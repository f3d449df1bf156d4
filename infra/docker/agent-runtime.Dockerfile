# The agent runtime for the sandbox's container mode (AGENT_SANDBOX=podman, AGENT_SANDBOX_IMAGE=kinitro/agent-runtime:<v>):
#   docker build -f infra/docker/agent-runtime.Dockerfile -t kinitro/agent-runtime:1 .     (or podman build)
# The evaluator runs `podman run --pull=never --network=none --read-only --user=65534:65534 …` on it
# (libs/agent/src/sandbox/podman-args.ts) with the agent's directory at /agent and the Python SDK bind-mounted at
# the evaluator's own path, so the image is only the interpreter and the libraries agents import: the same
# /usr/bin/python3 with grpcio, protobuf and numpy as Debian's packages on an evaluator host (agent-runtime.ts).
# It must be present on every evaluator host before it starts (`--pull=never`: nothing is fetched at run time).
FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 python3-grpcio python3-protobuf python3-numpy \
 && rm -rf /var/lib/apt/lists/*
# The sandbox runs every agent as 65534 (nobody): no home, nothing writable but the tmpfs /tmp podman mounts.
USER 65534:65534
WORKDIR /agent
ENV PYTHONDONTWRITEBYTECODE=1
