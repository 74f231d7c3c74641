-- Import and export (docs/migration.md). Portable SQL, as in V1.

-- The id a user or organization had in the system it was imported from (Clerk, Auth0, Firebase, Keycloak,
-- Supabase, or the id column of a generic file); an import finds it again by this id, so re-running is idempotent.
alter table users add column external_id varchar(255);
create unique index users_external_id_uk on users (external_id);
-- The metadata the source held for the user, as JSON, kept as it came.
alter table users add column source_metadata varchar(8192);

alter table organizations add column external_id varchar(255);
create unique index organizations_external_id_uk on organizations (external_id);

-- One import of one file: the number of records committed so far, so that --resume continues after the last
-- committed batch; updated in the same transaction as each batch.
create table import_runs (
    id               varchar(40)   primary key,
    source           varchar(16)   not null,
    file_name        varchar(1000) not null,
    fingerprint      varchar(64)   not null,
    records_done     bigint        not null,
    imported         bigint        not null,
    updated          bigint        not null,
    unchanged        bigint        not null,
    refused          bigint        not null,
    status           varchar(16)   not null,
    started_at       timestamp with time zone not null,
    updated_at       timestamp with time zone not null
);
create index import_runs_fingerprint_idx on import_runs (source, fingerprint, started_at);
