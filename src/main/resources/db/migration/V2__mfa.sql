-- Multi-factor authentication and passkeys (docs/mfa.md). Portable SQL like V1: runs unchanged on PostgreSQL and H2.

-- A sign-in flow waiting for a second factor or for enrolment holds the SHA-256 hash of its single-use token.
alter table sign_in_flows add column token_hash varchar(64);
create unique index sign_in_flows_token_uk on sign_in_flows (token_hash);

-- One TOTP authenticator per user (RFC 6238). The secret is sealed with the master key; confirmed_at is null
-- while enrolment is pending; last_used_step is the newest time step accepted, so a code is never accepted twice.
create table totp_factors (
    user_id          varchar(40)  primary key references users (id) on delete cascade,
    secret           varchar(200) not null,
    created_at       timestamp with time zone not null,
    confirmed_at     timestamp with time zone,
    last_used_step   bigint       not null default -1
);

-- Recovery codes, stored only as SHA-256 hashes; used_at marks a spent code.
create table recovery_codes (
    code_hash        varchar(64)  primary key,
    user_id          varchar(40)  not null references users (id) on delete cascade,
    created_at       timestamp with time zone not null,
    used_at          timestamp with time zone
);
create index recovery_codes_user_idx on recovery_codes (user_id);

-- WebAuthn credentials (passkeys). credential_id is base64url; attested_data is webauthn4j's binary form of the
-- attested credential data (AAGUID, credential id, COSE public key), base64url.
create table passkeys (
    id               varchar(40)   primary key,
    user_id          varchar(40)   not null references users (id) on delete cascade,
    credential_id    varchar(1400) not null,
    attested_data    varchar(4000) not null,
    sign_count       bigint        not null,
    transports       varchar(200)  not null default '',
    name             varchar(100)  not null,
    created_at       timestamp with time zone not null,
    last_used_at     timestamp with time zone
);
create unique index passkeys_credential_uk on passkeys (credential_id);
create index passkeys_user_idx on passkeys (user_id);

-- WebAuthn challenges, stored server-side so any node can finish a ceremony; deleted when used (single use).
create table webauthn_challenges (
    challenge_hash   varchar(64)  primary key,
    purpose          varchar(16)  not null,
    user_id          varchar(40)  references users (id) on delete cascade,
    flow_id          varchar(40),
    created_at       timestamp with time zone not null,
    expires_at       timestamp with time zone not null
);
create index webauthn_challenges_expires_idx on webauthn_challenges (expires_at);
