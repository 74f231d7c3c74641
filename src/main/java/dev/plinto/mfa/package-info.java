/**
 * Second factors: TOTP with recovery codes and passkeys (WebAuthn), their enrolment, and the sign-in steps that
 * complete a flow with them (plugged into {@code session} through {@link dev.plinto.session.SecondFactors}).
 */
package dev.plinto.mfa;
