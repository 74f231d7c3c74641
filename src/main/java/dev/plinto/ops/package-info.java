/**
 * Operations endpoints and reporting: liveness and readiness checks ({@code /health…}) and the start-up report.
 */
package dev.plinto.ops;
