/**
 * Infrastructure wiring every feature shares: the clock, the connection pool, the Redis client and its shared
 * connection with its fallback rule ({@link dev.plinto.platform.SharedRedis}), the SMTP sender,
 * the locks that keep a background job on one node, and what the build is ({@link dev.plinto.platform.BuildInfo}).
 */
package dev.plinto.platform;
