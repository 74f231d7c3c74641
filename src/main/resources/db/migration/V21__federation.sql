-- Federation (docs/federation.md): accounts at social and enterprise identity providers linked to Plinto users, the
-- enterprise connections of organizations (OpenID Connect or SAML 2.0), and the email domains that route users to
-- them. Portable SQL that runs unchanged on PostgreSQL and H2, as in V1.

-- A user's account at an identity provider. provider is the key of a configured social provider ('google',
-- 'github', ...) or 'connection:' followed by the id of an organization connection; subject is the provider's stable
-- id of the account (OpenID Connect 'sub', GitHub's numeric id, SAML NameID). profile keeps the few claims shown on
-- the account page (name, username, picture) as JSON, nothing else of what the provider sent.
create table user_identities (
    id               varchar(40)   primary key,
    user_id          varchar(40)   not null references users (id) on delete cascade,
    provider         varchar(80)   not null,
    subject          varchar(255)  not null,
    email            varchar(320),
    email_verified   boolean       not null default false,
    profile          varchar(4096) not null default '{}',
    created_at       timestamp with time zone not null,
    last_used_at     timestamp with time zone
);
create unique index user_identities_provider_subject_uk on user_identities (provider, subject);
create index user_identities_user_idx on user_identities (user_id);

-- An organization's enterprise connection. type is 'oidc' (issuer, client id and the client secret sealed with the
-- master key, associated data 'connection-secret:' + id) or 'saml' (the identity provider's metadata, by URL or as
-- XML). attribute_mapping is JSON: which claims or attributes hold the email, the name and the groups, and which
-- group gives which organization role; default_role is the role of a member who joins through the connection.
-- scim_token_hash is the SHA-256 (hex) of the connection's SCIM bearer token, shown once when it is created.
create table organization_connections (
    id                   varchar(40)    primary key,
    organization_id      varchar(40)    not null references organizations (id) on delete cascade,
    type                 varchar(8)     not null,
    name                 varchar(200)   not null,
    enabled              boolean        not null,
    oidc_issuer          varchar(2048),
    oidc_client_id       varchar(255),
    oidc_client_secret   varchar(1000),
    saml_metadata_url    varchar(2048),
    saml_metadata_xml    varchar(100000),
    attribute_mapping    varchar(4000)  not null default '{}',
    default_role         varchar(48)    not null default 'member',
    scim_token_hash      varchar(64),
    scim_token_created_at timestamp with time zone,
    created_at           timestamp with time zone not null,
    updated_at           timestamp with time zone not null
);
create index organization_connections_org_idx on organization_connections (organization_id);
create unique index organization_connections_scim_uk on organization_connections (scim_token_hash);

-- An email domain an organization claims. It routes users to connection_id only once verified (by the DNS TXT
-- record carrying verification_token, or by an instance administrator); verified_domain is set to domain at that
-- moment, so two organizations may claim a domain while only one can ever hold it verified. With
-- passwords_disabled, users of a verified domain sign in through the connection only.
create table organization_domains (
    organization_id      varchar(40)    not null references organizations (id) on delete cascade,
    domain               varchar(253)   not null,
    connection_id        varchar(40)    references organization_connections (id) on delete set null,
    verification_token   varchar(64)    not null,
    verified_domain      varchar(253),
    verified_at          timestamp with time zone,
    verified_by          varchar(8),
    passwords_disabled   boolean        not null default false,
    created_at           timestamp with time zone not null,
    primary key (organization_id, domain)
);
create unique index organization_domains_verified_uk on organization_domains (verified_domain);
