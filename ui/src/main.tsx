// The web console: asks for the session, then shows the sign-in page or the pages it routes to.
import { render } from 'preact';
import { lazy, LocationProvider, Route, Router } from 'preact-iso';
import { Layout } from './components/Layout.tsx';
import { Approvals } from './pages/Approvals.tsx';
import { Model, Models } from './pages/Models.tsx';
import { Monitoring } from './pages/Monitoring.tsx';
import { Rollouts } from './pages/Rollouts.tsx';
import { Run } from './pages/Run.tsx';
import { Runs } from './pages/Runs.tsx';
import { SignIn } from './pages/SignIn.tsx';
import { loadSession, session } from './session.ts';
import './styles.css';

// The pipelines pages carry a YAML printer that no other page needs: loaded when first visited.
const Pipelines = lazy(() => import('./pages/Pipelines.tsx').then((m) => m.Pipelines));
const Pipeline = lazy(() => import('./pages/Pipelines.tsx').then((m) => m.Pipeline));

function NotFound() {
  return (
    <section>
      <h1>Not found</h1>
      <p>
        No console page lives here. <a href="/ui/">Back to the runs</a>.
      </p>
    </section>
  );
}

function App() {
  const s = session.value;
  if (s === undefined)
    return (
      <main id="main" class="center">
        <p aria-live="polite">Loading…</p>
      </main>
    );
  if (s === null) return <SignIn />;
  return (
    <LocationProvider>
      <Layout>
        <Router>
          <Route path="/ui/" component={Runs} />
          <Route path="/ui/runs" component={Runs} />
          <Route path="/ui/runs/:runId" component={Run} />
          <Route path="/ui/approvals" component={Approvals} />
          <Route path="/ui/models" component={Models} />
          <Route path="/ui/models/:model" component={Model} />
          <Route path="/ui/rollouts" component={Rollouts} />
          <Route path="/ui/monitoring" component={Monitoring} />
          <Route path="/ui/monitoring/:model" component={Monitoring} />
          <Route path="/ui/pipelines" component={Pipelines} />
          <Route path="/ui/pipelines/:pipeline" component={Pipeline} />
          <Route default component={NotFound} />
        </Router>
      </Layout>
    </LocationProvider>
  );
}

render(<App />, document.getElementById('app')!);
void loadSession();
