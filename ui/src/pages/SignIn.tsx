// Sign-in: an API token exchanged for a session cookie (the token itself is not kept by the page).
import { useState } from 'preact/hooks';
import { signIn, signInNotice } from '../session.ts';

export function SignIn() {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(await signIn(token.trim()).catch(() => 'The API did not answer: try again.'));
    setBusy(false);
  };
  return (
    <main id="main" class="signin">
      <h1>Sign in to Ferry</h1>
      {signInNotice.value && (
        <p class="notice" role="status">
          {signInNotice.value}
        </p>
      )}
      <form onSubmit={submit}>
        <label for="token">API token</label>
        <input
          id="token"
          name="token"
          type="password"
          autoComplete="off"
          required
          value={token}
          onInput={(e) => setToken(e.currentTarget.value)}
          aria-describedby="token-help"
        />
        <p id="token-help" class="muted">
          The token your administrator gave you (as for the CLI). It is exchanged for a session that ends
          after a few hours or when you sign out.
        </p>
        {error && (
          <p role="alert" class="error">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy || !token.trim()}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
