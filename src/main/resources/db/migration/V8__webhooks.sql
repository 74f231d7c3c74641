-- Webhooks (docs/webhooks.md): endpoints, the transactional outbox of events, one delivery (message) per event and
-- endpoint, and the log of delivery attempts. Portable SQL that runs unchanged on PostgreSQL and H2.

-- An endpoint: where events are sent, which types it wants (space-separated, empty for every type), its signing
-- secret sealed with the master key (associated data 'webhook-secret:' + id) and, during a rotation, the previous
-- secret until previous_secret_expires_at. failing_since is the first failed attempt since the last success.
create table webhook_endpoints (
    id                          varchar(40)   primary key,
    url                         varchar(2048) not null,
    description                 varchar(500),
    event_types                 varchar(2000) not null default '',
    enabled                     boolean       not null,
    disabled_reason             varchar(32),
    secret                      varchar(500)  not null,
    previous_secret             varchar(500),
    previous_secret_expires_at  timestamp with time zone,
    failing_since               timestamp with time zone,
    created_at                  timestamp with time zone not null,
    updated_at                  timestamp with time zone not null
);

-- The outbox: one row per event, written in the transaction of the change it reports. The payload is the JSON
-- body every endpoint receives; its id is the webhook-id header.
create table webhook_events (
    id                          varchar(40)    primary key,
    type                        varchar(64)    not null,
    payload                     varchar(65536) not null,
    created_at                  timestamp with time zone not null
);
create index webhook_events_created_idx on webhook_events (created_at);

-- One delivery of an event to an endpoint. status: pending (due at next_attempt_at; a claimed delivery is pushed
-- into the future by its lease and is due again if the node that claimed it never finished), delivered, failed.
-- claim is a counter that changes with every claim, so a node whose lease expired cannot record a late result.
create table webhook_messages (
    id                          varchar(40)   primary key,
    event_id                    varchar(40)   not null references webhook_events (id) on delete cascade,
    endpoint_id                 varchar(40)   not null references webhook_endpoints (id) on delete cascade,
    status                      varchar(16)   not null,
    attempts                    integer       not null,
    claim                       integer       not null default 0,
    next_attempt_at             timestamp with time zone not null,
    last_error                  varchar(200),
    created_at                  timestamp with time zone not null,
    updated_at                  timestamp with time zone not null
);
create index webhook_messages_due_idx on webhook_messages (status, next_attempt_at);
create index webhook_messages_endpoint_idx on webhook_messages (endpoint_id, created_at);
create index webhook_messages_event_idx on webhook_messages (event_id);

-- The delivery log: every attempt, with the answer's status, latency and the first bytes of its body.
create table webhook_attempts (
    id                          varchar(40)   primary key,
    message_id                  varchar(40)   not null references webhook_messages (id) on delete cascade,
    endpoint_id                 varchar(40)   not null references webhook_endpoints (id) on delete cascade,
    attempted_at                timestamp with time zone not null,
    outcome                     varchar(16)   not null,
    status_code                 integer,
    latency_ms                  bigint        not null,
    response                    varchar(1000),
    error                       varchar(200)
);
create index webhook_attempts_endpoint_idx on webhook_attempts (endpoint_id, attempted_at);
create index webhook_attempts_message_idx on webhook_attempts (message_id);
