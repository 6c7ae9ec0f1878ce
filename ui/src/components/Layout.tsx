// The frame of every signed-in page: a skip link, the navigation (current page marked in words
// too), who is signed in with which role, and sign-out.
import type { ComponentChildren } from 'preact';
import { useLocation } from 'preact-iso';
import { session, signOut } from '../session.ts';

const pages = [
  ['/ui/runs', 'Runs'],
  ['/ui/approvals', 'Approvals'],
  ['/ui/models', 'Models'],
  ['/ui/rollouts', 'Rollouts'],
  ['/ui/monitoring', 'Monitoring'],
  ['/ui/pipelines', 'Pipelines'],
] as const;

export function Layout(props: { children: ComponentChildren }) {
  const { path } = useLocation();
  const s = session.value!;
  const current = (href: string) => path.startsWith(href) || (href === '/ui/runs' && path === '/ui/');
  return (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <a class="brand" href="/ui/">
          Ferry
        </a>
        <nav aria-label="Console">
          <ul>
            {pages.map(([href, label]) => (
              <li>
                <a href={href} aria-current={current(href) ? 'page' : undefined}>
                  {label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div class="who">
          <span data-testid="identity">{s.identity}</span> <span class="role">{s.role}</span>
          <button type="button" class="link" onClick={() => void signOut()}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {props.children}
      </main>
    </>
  );
}

/** A status in words with a shape, never by colour alone. */
export function StatusBadge(props: { status: string | null | undefined }) {
  const s = (props.status ?? 'unknown').toLowerCase();
  const icon = { running: '◐', completed: '✓', failed: '✕', canceled: '⊘', terminated: '⊘', timed_out: '⧗' }[
    s
  ];
  return (
    <span class={`badge badge-${s}`}>
      <span aria-hidden="true">{icon ?? '•'}</span> {s}
    </span>
  );
}

export function Loading(props: { what: string }) {
  return <p aria-live="polite">Loading {props.what}…</p>;
}

export function ErrorNote(props: { error: Error | undefined }) {
  return props.error ? (
    <p role="alert" class="error">
      {props.error.message}
    </p>
  ) : null;
}
