/**
 * Capacity planning: the server tier for a number of daily users, the hosted-service cost comparison from the
 * dated price file ({@code capacity/prices.json}), and the {@code plinto capacity} command; see docs/capacity.md.
 */
package dev.plinto.capacity;
