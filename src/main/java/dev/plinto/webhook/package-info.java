/**
 * Webhooks: the transactional outbox of events about users, sessions, second factors, organizations and keys, their
 * endpoints with sealed signing secrets, and signed delivery (Standard Webhooks) with retries, a log and replay.
 */
package dev.plinto.webhook;
