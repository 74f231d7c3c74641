package dev.plinto.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import dev.plinto.config.PlintoSettings;
import dev.plinto.crypto.SecureTokens;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * Issues and verifies access tokens: JWTs in the RFC 9068 shape ({@code typ: at+jwt}; {@code iss}, {@code sub},
 * {@code aud}, {@code exp}, {@code iat}, {@code jti}, plus {@code nbf}, {@code sid}, {@code email},
 * {@code email_verified}, RFC 8176 {@code amr} and {@code auth_time}, the time of the sign-in that started the
 * session, RFC 9068 §2.2.1 and OpenID Connect Core §2), signed with the active key and carrying its {@code kid}.
 * <p>
 * Verification follows RFC 8725 (JWT BCP): the header {@code typ} must be {@code at+jwt} (§3.11), the key is
 * chosen by {@code kid} among the published keys and the header algorithm must equal that key's algorithm, so
 * {@code alg: none} and algorithm substitution are refused (§3.1); then issuer, audience, expiry and not-before
 * are checked with one minute of clock skew (RFC 7519 §4.1.4).
 */
public final class AccessTokens {

	private static final JOSEObjectType AT_JWT = new JOSEObjectType("at+jwt");

	private final SigningKeys keys;

	private final PlintoSettings settings;

	private final Clock clock;

	private final DefaultJWTClaimsVerifier<?> claimsVerifier;

	public AccessTokens(SigningKeys keys, PlintoSettings settings, Clock clock) {
		this.keys = keys;
		this.settings = settings;
		this.clock = clock;
		this.claimsVerifier = new DefaultJWTClaimsVerifier<>(settings.audience(),
				new JWTClaimsSet.Builder().issuer(settings.issuer().toString()).build(),
				Set.of("sub", "sid", "exp", "iat", "jti")) {
			@Override
			protected Date currentTime() {
				return Date.from(AccessTokens.this.clock.instant());
			}
		};
		this.claimsVerifier.setMaxClockSkew((int) SigningKeys.SKEW.toSeconds());
	}

	/**
	 * What goes into an access token besides the registered claims; {@code authTime} is when the session's
	 * sign-in happened, and {@code notAfter} (the session's absolute expiry) caps {@code exp}, so no token outlives
	 * its session's maximum lifetime. {@code organization} is null without an active organization.
	 */
	public record Subject(String userId, String sessionId, String email, boolean emailVerified, List<String> amr,
			Instant authTime, Instant notAfter, Organization organization) {
	}

	/**
	 * The session's active organization as the caller's membership stands when the token is issued: claims
	 * {@code org_id}, {@code org_slug}, {@code org_role} and {@code org_permissions} (docs/organizations.md).
	 */
	public record Organization(String id, String slug, String role, List<String> permissions) {
	}

	/** A signed access token and its lifetime in seconds. */
	public record Issued(String token, long expiresIn) {
	}

	public Issued issue(Subject subject) {
		return issue(subject, settings.accessTokenTtl());
	}

	/**
	 * An access token with a lifetime other than {@code PLINTO_ACCESS_TOKEN_TTL}: the short-lived session JWT of a
	 * browser session ({@code PLINTO_SESSION_COOKIE_TTL}), the same token in every other respect.
	 */
	public Issued issue(Subject subject, java.time.Duration ttl) {
		SigningKey key = keys.active();
		Instant now = clock.instant();
		Instant exp = now.plus(ttl);
		if (subject.notAfter() != null && subject.notAfter().isBefore(exp)) {
			exp = subject.notAfter();
		}
		JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder().issuer(settings.issuer().toString())
			.subject(subject.userId())
			.audience(settings.audience())
			.issueTime(Date.from(now))
			.notBeforeTime(Date.from(now))
			.expirationTime(Date.from(exp))
			.jwtID(SecureTokens.newId("at"))
			.claim("sid", subject.sessionId())
			.claim("email", subject.email())
			.claim("email_verified", subject.emailVerified())
			.claim("amr", subject.amr())
			.claim("auth_time", subject.authTime().getEpochSecond());
		if (subject.organization() != null) {
			builder.claim("org_id", subject.organization().id())
				.claim("org_slug", subject.organization().slug())
				.claim("org_role", subject.organization().role())
				.claim("org_permissions", subject.organization().permissions());
		}
		JWTClaimsSet claims = builder.build();
		JWSHeader header = new JWSHeader.Builder(key.algorithm()).keyID(key.kid()).type(AT_JWT).build();
		SignedJWT jwt = new SignedJWT(header, claims);
		try {
			jwt.sign(keys.signer(key));
		}
		catch (JOSEException e) {
			throw new IllegalStateException("signing failed", e);
		}
		return new Issued(jwt.serialize(), java.time.Duration.between(now, exp).toSeconds());
	}

	/** Verifies an access token as described above; throws {@link BadJwtException} when it is not valid. */
	public Jwt verify(String token) {
		try {
			SignedJWT jwt = SignedJWT.parse(token);
			JWSHeader header = jwt.getHeader();
			if (!AT_JWT.equals(header.getType())) {
				throw new BadJwtException("the token is not an access token (typ)");
			}
			JWSVerifier verifier = header.getKeyID() == null ? null : keys.verifier(header.getKeyID(),
					header.getAlgorithm());
			if (verifier == null || !jwt.verify(verifier)) {
				throw new BadJwtException("the token is not signed by a published key");
			}
			JWTClaimsSet claims = jwt.getJWTClaimsSet();
			claimsVerifier.verify(claims, null);
			Map<String, Object> values = new HashMap<>(claims.getClaims());
			values.put("iat", claims.getIssueTime().toInstant());
			values.put("exp", claims.getExpirationTime().toInstant());
			if (claims.getNotBeforeTime() != null) {
				values.put("nbf", claims.getNotBeforeTime().toInstant());
			}
			if (claims.getClaim("auth_time") instanceof Number authTime) {
				values.put("auth_time", Instant.ofEpochSecond(authTime.longValue()));
			}
			return Jwt.withTokenValue(token)
				.headers(h -> h.putAll(header.toJSONObject()))
				.claims(c -> c.putAll(values))
				.build();
		}
		catch (ParseException | JOSEException | BadJWTException | IllegalStateException e) {
			throw new BadJwtException("invalid access token");
		}
	}
}
