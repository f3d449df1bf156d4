import { useState } from 'preact/hooks';
import { storedApiKey } from '../api.js';

/**
 * Where the reader gives this tab an API key for the reads that need one, or forgets it. `onChange` is called
 * after either, so the page re-reads with or without it.
 */
export const ApiKeyForm = ({ onChange }: { onChange: () => void }) => {
  const [draft, setDraft] = useState('');
  if (storedApiKey.get()) {
    return (
      <p>
        Using the API key given to this tab.{' '}
        <button
          type="button"
          onClick={() => {
            storedApiKey.clear();
            onChange();
          }}
        >
          Forget the key
        </button>
      </p>
    );
  }
  return (
    <form
      class="api-key"
      onSubmit={(event) => {
        event.preventDefault();
        if (!draft.trim()) return;
        storedApiKey.set(draft.trim());
        setDraft('');
        onChange();
      }}
    >
      <label>
        API key (viewer, validator or admin){' '}
        <input type="password" autocomplete="off" value={draft} onInput={(e) => setDraft((e.target as HTMLInputElement).value)} />
      </label>{' '}
      <button type="submit">Use this key</button>
    </form>
  );
};
