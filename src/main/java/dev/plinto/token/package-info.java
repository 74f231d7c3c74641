/**
 * Signing keys and access tokens: key generation, rotation and withdrawal, the JWKS and discovery documents, and
 * minting and verifying the JWT access tokens (RFC 9068).
 */
package dev.plinto.token;
