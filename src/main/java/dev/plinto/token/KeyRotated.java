package dev.plinto.token;

import java.time.Instant;

/**
 * Published when a new signing key is created by a rotation (scheduled, manual, immediate, or to replace a withdrawn
 * key), so that webhooks record {@code key.rotated}: relying parties that cache the JWKS may refetch it.
 *
 * @param kid the new key's id, as the JWKS publishes it
 * @param algorithm its JWS algorithm
 * @param activatesAt when it starts to sign
 * @param immediate whether it signs at once (a compromised key's replacement)
 */
public record KeyRotated(String kid, String algorithm, Instant activatesAt, boolean immediate) {
}
