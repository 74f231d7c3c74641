/**
 * Cryptographic primitives: sealing secrets at rest with the master key, random identifiers and secrets, and
 * password hashing (Argon2id). No HTTP and no feature logic; see docs/security.md.
 */
package dev.plinto.crypto;
