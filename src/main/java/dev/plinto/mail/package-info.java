/**
 * Outgoing mail: the transactional outbox that queues a message with the change that causes it, and the job that
 * delivers it over SMTP (or to the log), with retries.
 */
package dev.plinto.mail;
