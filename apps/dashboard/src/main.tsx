import { render } from 'preact';
import { CompetitionsPage } from './pages/competitions.js';
import { AuditPage } from './pages/audit.js';
import { EpisodePage } from './pages/episode.js';
import { EpisodesPage } from './pages/episodes.js';
import { JobPage } from './pages/job.js';
import { JobsPage } from './pages/jobs.js';
import { SubmissionPage } from './pages/submission.js';
import { WeightsPage } from './pages/weights.js';
import { match, onLinkClick, useLocation } from './router.js';
import './style.css';

const Page = () => {
  const { path, query } = useLocation();
  if (path === '/' || path === '/competitions') return <CompetitionsPage />;
  if (path === '/jobs') return <JobsPage />;
  if (path === '/episodes') return <EpisodesPage query={query} />;
  if (path === '/weights') return <WeightsPage query={query} />;
  const audit = match('/events/:aggregate/:id', path);
  if (audit) return <AuditPage key={path} aggregate={audit['aggregate']!} id={audit['id']!} />;
  const job = match('/jobs/:id', path);
  if (job) return <JobPage key={job['id']} id={job['id']!} />;
  const submission = match('/submissions/:id', path);
  if (submission) return <SubmissionPage key={submission['id']} id={submission['id']!} />;
  const episode = match('/episodes/:id', path);
  if (episode) return <EpisodePage key={episode['id']} id={episode['id']!} step={Number(query.get('step') ?? 0)} compare={query.get('compare')} />;
  return (
    <>
      <h1>Not found</h1>
      <p>No dashboard page at {path}.</p>
    </>
  );
};

const App = () => (
  <>
    <a class="skip" href="#main">
      Skip to content
    </a>
    <header>
      <nav aria-label="Dashboard">
        <a href="/" class="brand">
          Kinitro
        </a>
        <a href="/">Competitions</a>
        <a href="/jobs">Jobs</a>
        <a href="/episodes">Episodes</a>
        <a href="/weights">Weights</a>
        <a href="/api/docs">API</a>
      </nav>
    </header>
    <main id="main">
      <Page />
    </main>
  </>
);

document.addEventListener('click', onLinkClick);
render(<App />, document.getElementById('app')!);
