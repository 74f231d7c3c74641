/**
 * Settings: the {@code PLINTO_*} environment parsed and validated into {@link dev.plinto.config.PlintoSettings}.
 * Depends on nothing else in Plinto; every other package reads its configuration from here.
 */
package dev.plinto.config;
