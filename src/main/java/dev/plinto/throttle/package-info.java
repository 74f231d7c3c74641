/**
 * Throttling: rate limits per client and purpose (Bucket4j, in process or in Redis) and the lockout of an account
 * after repeated failed sign-ins.
 */
package dev.plinto.throttle;
