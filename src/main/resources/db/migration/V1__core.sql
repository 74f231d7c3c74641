-- Plinto core schema. Portable SQL that runs unchanged on PostgreSQL and H2:
-- varchar instead of text, timestamp with time zone for every instant, no vendor functions.

create table users (
    id               varchar(40)  primary key,
    email            varchar(320) not null,
    email_verified   boolean      not null default false,
    name             varchar(200),
    password_hash    varchar(255) not null,
    created_at       timestamp with time zone not null,
    updated_at       timestamp with time zone not null
);
create unique index users_email_uk on users (email);

-- A sign-in in progress: one row per attempt, so further factors and strategies become further states.
create table sign_in_flows (
    id               varchar(40)  primary key,
    type             varchar(16)  not null,
    strategy         varchar(32)  not null,
    state            varchar(32)  not null,
    user_id          varchar(40)  references users (id) on delete cascade,
    amr              varchar(200) not null default '',
    ip               varchar(64),
    user_agent       varchar(512),
    created_at       timestamp with time zone not null,
    expires_at       timestamp with time zone not null,
    completed_at     timestamp with time zone
);
create index sign_in_flows_expires_idx on sign_in_flows (expires_at);

create table sessions (
    id               varchar(40)  primary key,
    user_id          varchar(40)  not null references users (id) on delete cascade,
    flow_id          varchar(40),
    amr              varchar(200) not null,
    ip               varchar(64),
    user_agent       varchar(512),
    created_at       timestamp with time zone not null,
    last_active_at   timestamp with time zone not null,
    expires_at       timestamp with time zone not null,
    revoked_at       timestamp with time zone,
    revoke_reason    varchar(64)
);
create index sessions_user_idx on sessions (user_id);
create index sessions_revoked_idx on sessions (revoked_at);

-- Refresh tokens are stored only as SHA-256 hashes; used_at marks a rotated-out token.
create table refresh_tokens (
    token_hash       varchar(64)  primary key,
    session_id       varchar(40)  not null references sessions (id) on delete cascade,
    created_at       timestamp with time zone not null,
    used_at          timestamp with time zone
);
create index refresh_tokens_session_idx on refresh_tokens (session_id);

-- Signing keys: public JWK in clear, private JWK sealed with the master key (AES-256-GCM).
create table signing_keys (
    kid              varchar(64)   primary key,
    alg              varchar(16)   not null,
    public_jwk       varchar(4000) not null,
    private_jwk      varchar(12000) not null,
    created_at       timestamp with time zone not null,
    activates_at     timestamp with time zone not null
);

-- Single-use tokens for email verification and password reset, stored only as SHA-256 hashes.
create table one_time_tokens (
    token_hash       varchar(64)  primary key,
    purpose          varchar(32)  not null,
    user_id          varchar(40)  not null references users (id) on delete cascade,
    email            varchar(320) not null,
    created_at       timestamp with time zone not null,
    expires_at       timestamp with time zone not null,
    used_at          timestamp with time zone
);
create index one_time_tokens_user_idx on one_time_tokens (user_id, purpose);

create table audit_events (
    id               varchar(40)   primary key,
    type             varchar(64)   not null,
    occurred_at      timestamp with time zone not null,
    user_id          varchar(40),
    session_id       varchar(40),
    ip               varchar(64),
    user_agent       varchar(512),
    detail           varchar(1000)
);
create index audit_events_user_idx on audit_events (user_id, occurred_at, id);

-- Failed sign-ins per account, keyed by a hash of the normalised email.
create table sign_in_failures (
    subject          varchar(64)  primary key,
    failures         integer      not null,
    last_failure_at  timestamp with time zone not null,
    locked_until     timestamp with time zone
);

-- Outgoing mail: queued in the same transaction as the change that sends it, body sealed with the master key,
-- retried until delivered, body erased once sent.
create table mail_outbox (
    id               varchar(40)   primary key,
    recipient        varchar(320)  not null,
    subject          varchar(300)  not null,
    body             varchar(20000),
    created_at       timestamp with time zone not null,
    next_attempt_at  timestamp with time zone not null,
    attempts         integer       not null default 0,
    sent_at          timestamp with time zone,
    last_error       varchar(300)
);
create index mail_outbox_pending_idx on mail_outbox (sent_at, next_attempt_at);

-- Requests for a verification or reset mail, stored before the 202 answer so none is lost; a background job
-- looks the email up and queues the mail. The same row is written whether or not an account exists.
create table email_requests (
    id               varchar(40)  primary key,
    purpose          varchar(32)  not null,
    email            varchar(320) not null,
    ip               varchar(64),
    user_agent       varchar(512),
    requested_at     timestamp with time zone not null
);
create index email_requests_requested_idx on email_requests (requested_at);

-- ShedLock: scheduled jobs that must run on one node only.
create table shedlock (
    name             varchar(64)  primary key,
    lock_until       timestamp    not null,
    locked_at        timestamp    not null,
    locked_by        varchar(255) not null
);
