/**
 * Encrypted backup and restore of all of Plinto's data: the file format, the key, the commands, scheduled
 * backups with retention and their health check. How it works, for operators: docs/backup.md.
 */
package dev.plinto.backup;
