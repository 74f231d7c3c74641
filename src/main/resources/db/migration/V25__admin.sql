-- The Backend API: secret API keys, users' metadata, bans and instance roles, and the actor of an audit event.
-- Portable SQL, as in V1.

-- Secret API keys of the Backend API (/v1/admin/...). The key itself is never stored: only its SHA-256 hash (hex),
-- looked up on every request, so a revoked or rotated key stops at once on every node. prefix is the start of the
-- key shown in lists. Scopes are stored space-separated.
create table api_keys (
    id               varchar(40)   primary key,
    name             varchar(200)  not null,
    prefix           varchar(20)   not null,
    token_hash       varchar(64)   not null,
    scopes           varchar(1000) not null,
    created_at       timestamp with time zone not null,
    created_by       varchar(200),
    last_used_at     timestamp with time zone,
    expires_at       timestamp with time zone,
    revoked_at       timestamp with time zone
);
create unique index api_keys_token_hash_uk on api_keys (token_hash);

-- A user's metadata, JSON objects of at most 8 KiB: public (readable by the user, set by the backend), private
-- (backend only) and unsafe (the user may write it).
alter table users add column public_metadata varchar(8192) default '{}' not null;
alter table users add column private_metadata varchar(8192) default '{}' not null;
alter table users add column unsafe_metadata varchar(8192) default '{}' not null;
-- A banned user cannot sign in; null when not banned.
alter table users add column banned_at timestamp with time zone;
-- The user's role in the admin dashboard (admin, support or owner); null for everyone else.
alter table users add column instance_role varchar(16);
create index users_created_idx on users (created_at, id);

-- The API key that started a session by impersonation (the Backend API); null for a user's own sign-in. Its access
-- tokens carry the key as their actor (act.sub, RFC 8693 §4.1).
alter table sessions add column impersonator varchar(40);

-- Who made a change recorded in the audit log when it was not the user themselves, e.g. an API key's id.
alter table audit_events add column actor_id varchar(40);
create index audit_events_actor_idx on audit_events (actor_id, occurred_at, id);
