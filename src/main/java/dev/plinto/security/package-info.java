/**
 * The HTTP composition root: the Spring Security filter chain, how bearer tokens are verified, which routes
 * need which authentication, and the security headers and CORS of every answer.
 */
package dev.plinto.security;
