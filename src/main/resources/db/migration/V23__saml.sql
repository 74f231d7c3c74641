-- The SAML 2.0 service provider of organizations' enterprise connections (docs/federation.md, "SAML 2.0"). Portable
-- SQL that runs unchanged on PostgreSQL and H2, as in V1.

-- The service provider's signing key of a SAML connection: it signs the AuthnRequests and is published, with its
-- certificate, in the connection's SP metadata. certificate is the X.509 certificate in PEM; private_key is the
-- PKCS#8 key in PEM, sealed with the master key (associated data 'saml-sp-key:' + connection_id).
create table saml_sp_keys (
    connection_id    varchar(40)    primary key references organization_connections (id) on delete cascade,
    certificate      varchar(8000)  not null,
    private_key      varchar(8000)  not null,
    created_at       timestamp with time zone not null
);

-- An AuthnRequest Plinto sent and has not yet seen answered: id is the request's ID, which the response must carry as
-- InResponseTo. browser_hash is the SHA-256 (hex) of the random value in the browser's SAML cookie, so only the
-- browser that started the sign-in can finish it; redirect_url is where it goes afterwards. A row is deleted when a
-- response uses it (single use) or once it has expired.
create table saml_requests (
    id               varchar(64)    primary key,
    connection_id    varchar(40)    not null references organization_connections (id) on delete cascade,
    browser_hash     varchar(64)    not null,
    redirect_url     varchar(2048),
    created_at       timestamp with time zone not null,
    expires_at       timestamp with time zone not null
);
create index saml_requests_expiry_idx on saml_requests (expires_at);

-- The IDs of assertions already accepted, per connection, kept until the assertion could no longer be accepted
-- anyway (its NotOnOrAfter plus the allowed clock skew), so that a captured assertion cannot be played again.
create table saml_assertions (
    connection_id    varchar(40)    not null references organization_connections (id) on delete cascade,
    assertion_id     varchar(255)   not null,
    expires_at       timestamp with time zone not null,
    primary key (connection_id, assertion_id)
);
create index saml_assertions_expiry_idx on saml_assertions (expires_at);
