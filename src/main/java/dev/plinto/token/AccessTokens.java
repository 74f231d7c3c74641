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
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * Issues and verifies access tokens: JWTs in the RFC 9068 shape ({@code typ: at+jwt}; {@code iss}, {@code sub},
 * {@code aud}, {@code exp}, {@code iat}, {@code jti}, plus {@code nbf}, {@code sid}, {@code email},
 * {@code email_verified}, RFC 8176 {@code amr} and {@code auth_time}, the time of the sign-in that started the
 * session, RFC 9068 §2.2.1 and OpenID Connect Core §2; {@code act}, the active organization's claims and
 * {@code public_metadata} when the subject has them), signed with the active key and carrying its {@code kid}.
 * <p>
 * Verification follows RFC 8725 (JWT BCP): the header {@code typ} must be {@code at+jwt} (§3.11), the key is
 * chosen by {@code kid} among the published keys and the header algorithm must equal that key's algorithm, so
 * {@code alg: none} and algorithm substitution are refused (§3.1); then issuer, audience, expiry and not-before
 * are checked with one minute of clock skew (RFC 7519 §4.1.4). The token must be written in canonical base64url,
 * and every claim Plinto relies on must have the type and form it issues ({@link #verify}); whether the token's
 * session exists and belongs to its subject is checked by the caller with the session store.
 */
public final class AccessTokens {

	private static final JOSEObjectType AT_JWT = new JOSEObjectType("at+jwt");

	/** Identifiers as Plinto issues them ({@code sub}, {@code sid}, {@code jti}): 1 to 255 printable ASCII characters. */
	private static final Pattern IDENTIFIER = Pattern.compile("[\\x21-\\x7E]{1,255}");

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
	 * its session's maximum lifetime. {@code organization} is null without an active organization;
	 * {@code publicMetadata} is the {@code public_metadata} claim, null for none
	 * ({@code PLINTO_TOKEN_PUBLIC_METADATA}).
	 */
	public record Subject(String userId, String sessionId, String email, boolean emailVerified, List<String> amr,
			Instant authTime, Instant notAfter, Organization organization, String actor,
			Map<String, Object> publicMetadata) {

		/** A subject acting for themselves: no {@code act} claim. */
		public Subject(String userId, String sessionId, String email, boolean emailVerified, List<String> amr,
				Instant authTime, Instant notAfter, Organization organization) {
			this(userId, sessionId, email, emailVerified, amr, authTime, notAfter, organization, null, null);
		}
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
		if (subject.actor() != null) {
			// Impersonation: the party acting as the subject (RFC 8693 §4.1, the "act" claim), so every backend
			// that reads the token can tell it from the user's own session and record who acted.
			builder.claim("act", java.util.Map.of("sub", subject.actor()));
		}
		if (subject.publicMetadata() != null) {
			builder.claim("public_metadata", subject.publicMetadata());
		}
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

	/**
	 * Verifies an access token as described above; throws {@link BadJwtException} when it is not valid, and nothing
	 * else, whatever the token holds: a verifier that throws anything else turns a bad token into a server error.
	 */
	public Jwt verify(String token) {
		try {
			if (!canonicalCompactJws(token)) {
				throw new BadJwtException("the token is not a compact JWS in canonical base64url");
			}
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
			checkClaims(claims);
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
		catch (BadJwtException e) {
			throw e;
		}
		catch (ParseException | JOSEException | BadJWTException | RuntimeException e) {
			throw new BadJwtException("invalid access token");
		}
	}

	/**
	 * Three parts of base64url without padding, each exactly as a canonical encoder writes it (RFC 7515 §2 and §7.1:
	 * "BASE64URL" with "all trailing '=' characters omitted"; RFC 4648 §3.5: unused bits are zero). So a token has
	 * one spelling: {@code +} and {@code /}, padding, and a last character with other trailing bits are refused,
	 * rather than decoded to the same bytes by a lenient decoder (RFC 8725 §3.4, strict input validation).
	 */
	static boolean canonicalCompactJws(String token) {
		int first = token.indexOf('.');
		int second = first < 0 ? -1 : token.indexOf('.', first + 1);
		if (second < 0 || token.indexOf('.', second + 1) >= 0) {
			return false;
		}
		return canonical(token.substring(0, first)) && canonical(token.substring(first + 1, second))
				&& canonical(token.substring(second + 1));
	}

	private static boolean canonical(String part) {
		if (part.isEmpty()) {
			return false;
		}
		for (int i = 0; i < part.length(); i++) {
			char c = part.charAt(i);
			if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_')) {
				return false;
			}
		}
		if (part.length() % 4 == 1) {
			return false;
		}
		byte[] bytes = Base64.getUrlDecoder().decode(part);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).equals(part);
	}

	/**
	 * The claims beyond what the JOSE library checks, each with the type and form Plinto issues (RFC 8725 §3.10,
	 * RFC 9068 §4): {@code exp} after {@code iat} and after {@code nbf}, {@code iat} not in the future beyond the
	 * skew; {@code sub}, {@code sid} and {@code jti} printable ASCII identifiers; {@code auth_time} a number;
	 * {@code amr} and {@code org_permissions} lists of text; {@code email_verified} a boolean; and no string anywhere
	 * holding a control character (a NUL in {@code sub} would reach the database).
	 */
	private void checkClaims(JWTClaimsSet claims) throws ParseException {
		Instant iat = claims.getIssueTime().toInstant();
		Instant exp = claims.getExpirationTime().toInstant();
		Instant nbf = claims.getNotBeforeTime() == null ? null : claims.getNotBeforeTime().toInstant();
		if (!exp.isAfter(iat) || nbf != null && !exp.isAfter(nbf)
				|| iat.isAfter(clock.instant().plus(SigningKeys.SKEW))) {
			throw new BadJwtException("the token's times are out of order");
		}
		for (String name : List.of("sub", "sid", "jti")) {
			if (!(claims.getClaim(name) instanceof String id) || !IDENTIFIER.matcher(id).matches()) {
				throw new BadJwtException("the token's " + name + " is not an identifier");
			}
		}
		requireType(claims, "auth_time", Number.class);
		requireType(claims, "email_verified", Boolean.class);
		for (String name : List.of("email", "org_id", "org_slug", "org_role", "scope")) {
			requireType(claims, name, String.class);
		}
		for (String name : List.of("amr", "org_permissions")) {
			if (claims.getClaim(name) != null && (!(claims.getClaim(name) instanceof List<?> list)
					|| !list.stream().allMatch(String.class::isInstance))) {
				throw new BadJwtException("the token's " + name + " is not a list of text");
			}
		}
		for (Object value : claims.getClaims().values()) {
			if (holdsControlCharacter(value)) {
				throw new BadJwtException("a claim holds a control character");
			}
		}
	}

	private static void requireType(JWTClaimsSet claims, String name, Class<?> type) {
		Object value = claims.getClaim(name);
		if (value != null && !type.isInstance(value)) {
			throw new BadJwtException("the token's " + name + " has the wrong type");
		}
	}

	private static boolean holdsControlCharacter(Object value) {
		if (value instanceof String text) {
			return text.chars().anyMatch(Character::isISOControl);
		}
		if (value instanceof java.util.Collection<?> values) {
			return values.stream().anyMatch(AccessTokens::holdsControlCharacter);
		}
		if (value instanceof Map<?, ?> map) {
			return map.keySet().stream().anyMatch(AccessTokens::holdsControlCharacter)
					|| map.values().stream().anyMatch(AccessTokens::holdsControlCharacter);
		}
		return false;
	}
}
