-- Settings changed at run time (docs/admin.md, "Settings at run time"): one row per overridden PLINTO_* variable of
-- the allowed list, holding the value that replaces the environment's ('' = unset, the built-in default). Every
-- node re-reads the table every two seconds; the audit log (settings.changed) keeps the history.
create table runtime_settings (
    name         varchar(100)  primary key,
    setting      varchar(1000) not null,
    updated_at   timestamp with time zone not null,
    updated_by   varchar(100)  not null
);
