-- Scheduled backups: one row per run on whichever node ran it, so every node can report the age of the last
-- successful backup (metric plinto_backup_last_success_timestamp_seconds, GET /health/backup).
create table backup_runs (
    id               varchar(40)   primary key,
    node             varchar(255)  not null,
    started_at       timestamp with time zone not null,
    finished_at      timestamp with time zone not null,
    outcome          varchar(16)   not null,
    file_name        varchar(255),
    size_bytes       bigint,
    row_count        bigint,
    error            varchar(500)
);
create index backup_runs_outcome_idx on backup_runs (outcome, finished_at);
