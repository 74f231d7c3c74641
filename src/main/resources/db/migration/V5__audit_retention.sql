-- Audit events are deleted after PLINTO_AUDIT_RETENTION (security.AuditRetention), by time.
create index audit_events_occurred_idx on audit_events (occurred_at);
