-- Signing and results: the certificate authorities this installation trusts, the certificates that sign
-- (an officer's own, a unit's seal), and the results issued under a number of the unit's book.

create table certificate_authority (
  id                  serial primary key,
  name                text not null,
  certificate         bytea not null,
  fingerprint_sha256  text not null unique,
  -- Only the demo authority keeps its key (a PKCS#12 under the server's seal passphrase), to issue demo
  -- certificates; authorities imported from a licensed CA are trust anchors only.
  pkcs12              bytea,
  demo                boolean not null default false,
  created_by          integer references staff_account (id),
  created_at          timestamptz not null default now()
);

create table signing_credential (
  id              serial primary key,
  kind            text not null check (kind in ('officer', 'seal')),
  account_id      integer references staff_account (id),
  unit_code       text not null,
  provider        text not null check (provider in ('pkcs12', 'pkcs11', 'remote')),
  -- An officer's PKCS#12 is protected by the officer's PIN; a seal's by the server's seal passphrase.
  pkcs12          bytea,
  certificate     bytea not null,
  subject         text not null,
  serial_number   text not null,
  not_before      timestamptz not null,
  not_after       timestamptz not null,
  active          boolean not null default true,
  failed_pins     integer not null default 0,
  locked_until    timestamptz,
  created_by      integer references staff_account (id),
  created_at      timestamptz not null default now(),
  check ((kind = 'officer') = (account_id is not null)),
  check ((provider = 'pkcs12') = (pkcs12 is not null))
);

create unique index signing_credential_one_officer on signing_credential (account_id)
  where active and kind = 'officer';
create unique index signing_credential_one_seal on signing_credential (unit_code)
  where active and kind = 'seal';

-- The numbers of a unit's books (results, certified copies), gap-free per book and year.
create table document_number_counter (
  unit_code    text not null,
  book         text not null,
  year         integer not null,
  last_number  integer not null,
  primary key (unit_code, book, year)
);

-- A signed result: its document, its number in the book, who signed and with which certificates.
create table result_issue (
  document_id           integer primary key references document (id),
  dossier_id            integer not null references dossier (id),
  -- The public code, for the verification page a result's QR code opens.
  dossier_code          text not null,
  unit_code             text not null,
  book                  text not null,
  year                  integer not null,
  number                integer not null,
  kind                  text not null,
  signed_by             integer not null references staff_account (id),
  officer_credential_id integer not null references signing_credential (id),
  seal_credential_id    integer not null references signing_credential (id),
  issued_at             timestamptz not null,
  unique (unit_code, book, year, number)
);

create index result_issue_dossier on result_issue (dossier_id, issued_at desc);
create index result_issue_code on result_issue (dossier_code);
