import { describe, expect, it } from '@jest/globals';
import { planCgroups } from './cgroups.js';

// This project's machines (and CI): v1 controllers plus a controller-less cgroup2 at /sys/fs/cgroup/unified.
const HYBRID_MOUNTS = `tmpfs /sys/fs/cgroup tmpfs rw,relatime,mode=755 0 0
cgroup /sys/fs/cgroup/cpu cgroup rw,relatime,cpu 0 0
cgroup /sys/fs/cgroup/cpuacct cgroup rw,relatime,cpuacct 0 0
cgroup /sys/fs/cgroup/memory cgroup rw,relatime,memory 0 0
cgroup /sys/fs/cgroup/pids cgroup rw,relatime,pids 0 0
cgroup /sys/fs/cgroup/systemd cgroup rw,relatime,name=systemd 0 0
cgroup2 /sys/fs/cgroup/unified cgroup2 rw,relatime 0 0`;
const HYBRID_SELF = `9:name=systemd:/
8:pids:/
4:memory:/process_api/4ad78a96
2:cpuacct:/
1:cpu:/
0::/`;

describe('planCgroups', () => {
  it('on the hybrid layout: memory and pids on v1 under our own cgroups, cpu accounting and kill on cgroup2', () => {
    expect(planCgroups(HYBRID_MOUNTS, HYBRID_SELF, '')).toEqual({
      memory: { version: 1, parent: '/sys/fs/cgroup/memory/process_api/4ad78a96' },
      pids: { version: 1, parent: '/sys/fs/cgroup/pids' },
      cpu: { version: 2, parent: '/sys/fs/cgroup/unified' },
      kill: '/sys/fs/cgroup/unified',
    });
  });

  it('on pure v2 with delegated controllers: everything on v2 under our cgroup', () => {
    const mounts = 'cgroup2 /sys/fs/cgroup cgroup2 rw,nosuid,nodev,noexec,relatime 0 0';
    const self = '0::/system.slice/evaluator.service';
    const parent = '/sys/fs/cgroup/system.slice/evaluator.service';
    expect(planCgroups(mounts, self, 'cpu memory pids\n')).toEqual({
      memory: { version: 2, parent },
      pids: { version: 2, parent },
      cpu: { version: 2, parent },
      kill: parent,
    });
  });

  it('on pure v2 without delegation: only accounting and kill', () => {
    expect(planCgroups('cgroup2 /sys/fs/cgroup cgroup2 rw 0 0', '0::/user.slice', '')).toEqual({
      memory: null,
      pids: null,
      cpu: { version: 2, parent: '/sys/fs/cgroup/user.slice' },
      kill: '/sys/fs/cgroup/user.slice',
    });
  });

  it('on v1 with co-mounted cpu,cpuacct and no cgroup2', () => {
    const mounts = 'cgroup /sys/fs/cgroup/cpu,cpuacct cgroup rw,nosuid,cpu,cpuacct 0 0\ncgroup /sys/fs/cgroup/memory cgroup rw,memory 0 0';
    expect(planCgroups(mounts, '3:cpu,cpuacct:/ci\n2:memory:/ci\n', null)).toEqual({
      memory: { version: 1, parent: '/sys/fs/cgroup/memory/ci' },
      pids: null,
      cpu: { version: 1, parent: '/sys/fs/cgroup/cpu,cpuacct/ci' },
      kill: null,
    });
  });

  it('with no cgroups mounted at all', () => {
    expect(planCgroups('proc /proc proc rw 0 0', '', null)).toEqual({ memory: null, pids: null, cpu: null, kill: null });
  });
});
