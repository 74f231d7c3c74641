/**
 * The command line of {@code plinto.jar}: the root command (serve by default), migrate, keys and config, and the
 * launcher tooling of {@code bin/plinto}. Feature commands live with their feature (backup, capacity).
 */
package dev.plinto.cli;
