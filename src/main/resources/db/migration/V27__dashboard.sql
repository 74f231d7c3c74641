-- The admin dashboard's bootstrap link: printed once in the log at a start without any admin, single use, expiring.
-- Only the SHA-256 hash of its token is stored; used_by names the account it made admin.
create table admin_bootstrap_tokens (
    token_hash       varchar(64)  primary key,
    created_at       timestamp with time zone not null,
    expires_at       timestamp with time zone not null,
    used_at          timestamp with time zone,
    used_by          varchar(40)
);
