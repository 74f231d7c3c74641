-- Social and enterprise sign-in flows (docs/federation.md): one row per authorization request sent to an identity
-- provider, from the start until the callback completes it (single use). Portable SQL as in V1.
--
-- state_hash is the SHA-256 (hex) of the OAuth 2 state parameter (RFC 6749 §10.12), the only way the callback finds
-- its flow. secrets holds the PKCE code verifier (RFC 7636) and the OpenID Connect nonce, sealed with the master key
-- (associated data 'federation-flow:' + id) and erased when the callback uses them. browser_hash is the SHA-256 of
-- the random value put into the starting browser's cookie (null for flows an app started through the JSON API).
-- link_user_id is the signed-in user who asked to link another account. For flows of the JSON API, the verified
-- identity waits in identity (JSON) until the app exchanges the single-use completion code whose hash is
-- result_hash.
create table federation_flows (
    id              varchar(40)   primary key,
    provider        varchar(80)   not null,
    type            varchar(16)   not null,
    state_hash      varchar(64)   not null,
    secrets         varchar(1000),
    browser_hash    varchar(64),
    redirect_url    varchar(2048),
    link_user_id    varchar(40)   references users (id) on delete cascade,
    identity        varchar(8000),
    result_hash     varchar(64),
    created_at      timestamp with time zone not null,
    expires_at      timestamp with time zone not null,
    used_at         timestamp with time zone
);
create unique index federation_flows_state_uk on federation_flows (state_hash);
create unique index federation_flows_result_uk on federation_flows (result_hash);
create index federation_flows_expires_idx on federation_flows (expires_at);

-- The organization a sign-in through an enterprise connection joined: the session that sign-in flow starts works in
-- it (its access tokens carry the organization's claims). Deleted when the session starts or the flow expires.
create table federation_sign_in_organizations (
    flow_id          varchar(40)  primary key,
    organization_id  varchar(40)  not null references organizations (id) on delete cascade,
    expires_at       timestamp with time zone not null
);
