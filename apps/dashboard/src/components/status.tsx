import type { ComponentChildren } from 'preact';
import type { Resource } from '../use-resource.js';

/** Renders a resource's value, or says it is loading or why it failed (role=alert, so it is announced). */
export const Loaded = <T,>({ resource, children }: { resource: Resource<T>; children: (value: T) => ComponentChildren }) => {
  if (resource.state === 'loading') return <p class="muted">Loading…</p>;
  if (resource.state === 'failed')
    return (
      <p role="alert" class="error">
        {resource.error}
      </p>
    );
  return <>{children(resource.value)}</>;
};

export const Badge = ({ value }: { value: string }) => <span class={`badge badge-${value.toLowerCase()}`}>{value}</span>;
