-- Per-endpoint order of webhook deliveries (docs/webhooks.md, "Order"). Portable SQL for PostgreSQL and H2.

-- seq: the order in which deliveries to one endpoint were queued: one more than the highest of the endpoint's
-- pending deliveries when written (order matters only among those; the index below finds it). An event's deliveries
-- are written in the transaction of its change, so this is the order of the endpoint's events; two transactions
-- queueing at the same moment may get the same number, and the creation time and id decide. First attempts go out
-- in this order. Not an identity column, so that a restored backup goes on from its own rows.
alter table webhook_messages add column seq bigint not null default 0;

-- leased_until: while a node is sending the delivery (its claim's lease), null otherwise. An endpoint with a
-- delivery leased to a node gets nothing from any other node until that lease is over.
alter table webhook_messages add column leased_until timestamp with time zone;

-- An endpoint's pending deliveries in queue order: the highest seq when queueing, the next ones when claiming.
create index webhook_messages_endpoint_seq_idx on webhook_messages (endpoint_id, status, seq);

-- One row per endpoint, locked (FOR UPDATE SKIP LOCKED) by the node claiming that endpoint's deliveries, so two
-- nodes never claim for one endpoint at once. A table of its own because nothing else writes or references it:
-- locking the endpoint row itself would also wait for, and be skipped behind, every transaction that queues a
-- delivery (a foreign key check locks the referenced row on PostgreSQL).
create table webhook_endpoint_claims (
    endpoint_id                 varchar(40)   primary key references webhook_endpoints (id) on delete cascade
);
insert into webhook_endpoint_claims (endpoint_id) select id from webhook_endpoints;
