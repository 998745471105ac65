-- The transactional outbox and the job runner's queue (src/server/jobs/, docs/adr/0007): a write
-- that causes a side effect (a message to a citizen, a report file) inserts its job in its own
-- transaction; the runner delivers it at least once, leasing a row so that two server processes on
-- one database never run it at the same time.
create table job (
  id bigint generated always as identity primary key,
  -- The job definition (jobs/job-definitions.ts): what runs, how often it may be tried.
  kind text not null check (kind ~ '^[a-z][a-z0-9.-]{1,60}$'),
  payload jsonb not null,
  -- One job per key: a write retried, a recurring slot claimed by two processes.
  dedupe_key text unique,
  state text not null default 'pending' check (state in ('pending', 'done', 'dead')),
  -- Not before (a retry's backoff, a reminder's day).
  run_at timestamptz not null,
  attempts smallint not null default 0 check (attempts >= 0),
  max_attempts smallint not null check (max_attempts between 1 and 100),
  -- The lease of the runner that claimed it: past it, the job is claimed again (its runner died).
  locked_until timestamptz,
  locked_by text,
  last_error text,
  created_at timestamptz not null,
  finished_at timestamptz,
  check ((state = 'pending') = (finished_at is null))
);

create index job_due on job (run_at) where state = 'pending';
create index job_state_kind on job (state, kind, id);
