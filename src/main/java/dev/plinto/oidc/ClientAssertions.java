package dev.plinto.oidc;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.plinto.crypto.SecureTokens;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URISyntaxException;
import java.sql.Timestamp;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtDecoderFactory;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.authorization.authentication.JwtClientAssertionAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;

/**
 * {@code private_key_jwt} client authentication (RFC 7523 §2.2 and §3, OpenID Connect Core §9): a confidential client
 * registered with public keys signs a short JWT, the client assertion, instead of sending a secret. Spring
 * Authorization Server reads the assertion and looks the client up ({@link JwtClientAssertionAuthenticationProvider});
 * this class verifies it, in place of the library's decoder factory, with Plinto's rules:
 * <ul>
 * <li>the keys are the client's registered JWKS, inline or fetched from its {@code jwks_uri} (cached 5 minutes,
 * refetched when an unknown {@code kid} arrives, with short timeouts and a size limit);</li>
 * <li>the signature must be RS256, PS256 or ES256 by one of those keys; {@code alg: none}, HMAC (which would need the
 * plain client secret that Plinto does not keep) and any other algorithm are refused (RFC 8725 §3.1 and §3.2);</li>
 * <li>{@code iss} and {@code sub} are the client id, {@code aud} names this server: the issuer or the token endpoint
 * (RFC 7523 §3 items 1-3, OpenID Connect Core §9);</li>
 * <li>{@code exp} is required and at most an hour ahead, {@code nbf} when present is passed (one minute of clock
 * skew), and {@code jti} is required and accepted once: it is remembered, as a SHA-256 hash with the client id, until
 * the assertion expires, in the database so every node sees it (RFC 7523 §3 item 7; RFC 9700 §2.5).</li>
 * </ul>
 * A refused assertion is the library's {@code invalid_client} (RFC 6749 §5.2).
 */
final class ClientAssertions implements JwtDecoderFactory<RegisteredClient> {

	/** The client setting holding an inline JWKS (public keys, RFC 7517 JSON). */
	static final String JWKS = "settings.client.plinto.jwks";

	/** The signing algorithms a client assertion may use, as discovery publishes them. */
	static final List<String> ALGORITHMS = List.of("RS256", "ES256", "PS256");

	/** The longest lifetime an assertion may claim: bounds how long its jti is remembered. */
	static final Duration MAX_LIFETIME = Duration.ofHours(1);

	private static final Duration SKEW = Duration.ofMinutes(1);

	private static final int MAX_JWKS = 10_000;

	private final JdbcClient jdbc;

	private final List<String> audiences;

	// The system clock, as the library's own checks of codes and tokens use it.
	private final Clock clock = Clock.systemUTC();

	private final Map<String, JwtDecoder> decoders = new ConcurrentHashMap<>();

	ClientAssertions(JdbcClient jdbc, AuthorizationServerSettings settings) {
		this.jdbc = jdbc;
		String issuer = settings.getIssuer();
		this.audiences = List.of(issuer, issuer + settings.getTokenEndpoint());
	}

	/** Makes the library's client-assertion provider among {@code providers} verify assertions with this factory. */
	void configure(List<AuthenticationProvider> providers) {
		providers.forEach(provider -> {
			if (provider instanceof JwtClientAssertionAuthenticationProvider assertions) {
				assertions.setJwtDecoderFactory(this);
			}
		});
	}

	@Override
	public JwtDecoder createDecoder(RegisteredClient client) {
		if (!usesKeys(client)) {
			// client_secret_jwt (RFC 7523 with an HMAC of the secret) is not offered: only a hash of it is kept.
			throw invalid("The client does not authenticate with private_key_jwt.");
		}
		String uri = client.getClientSettings().getJwkSetUrl();
		String inline = inlineJwks(client);
		String cacheKey = client.getId() + "\n" + (uri != null ? uri : SecureTokens.hash(inline));
		return decoders.computeIfAbsent(cacheKey, k -> decoder(client.getClientId(), uri, inline));
	}

	private JwtDecoder decoder(String clientId, String uri, String inline) {
		JWKSource<SecurityContext> keys;
		try {
			keys = uri != null
					? JWKSourceBuilder.<SecurityContext>create(URI.create(uri).toURL(),
							new DefaultResourceRetriever(2_000, 2_000, 64 * 1024))
						.cache(Duration.ofMinutes(5).toMillis(), Duration.ofSeconds(5).toMillis())
						.build()
					: new ImmutableJWKSet<>(JWKSet.parse(inline));
		}
		catch (MalformedURLException | ParseException e) {
			throw invalid("The client's registered keys cannot be read.");
		}
		DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
		processor.setJWSKeySelector(new JWSVerificationKeySelector<>(
				Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256, JWSAlgorithm.PS256), keys));
		processor.setJWTClaimsSetVerifier((claims, context) -> {
		});
		NimbusJwtDecoder decoder = new NimbusJwtDecoder(processor);
		decoder.setJwtValidator(validator(clientId));
		return decoder;
	}

	/** RFC 7523 §3's checks, then the jti, which is spent only by an otherwise valid assertion. */
	private OAuth2TokenValidator<Jwt> validator(String clientId) {
		JwtTimestampValidator timestamps = new JwtTimestampValidator(SKEW);
		timestamps.setClock(clock);
		return jwt -> {
			List<OAuth2Error> errors = new ArrayList<>();
			if (!clientId.equals(jwt.getClaimAsString("iss")) || !clientId.equals(jwt.getSubject())) {
				errors.add(error("iss and sub must be the client id."));
			}
			List<String> aud = jwt.getAudience();
			if (aud == null || aud.stream().noneMatch(audiences::contains)) {
				errors.add(error("aud must be the issuer or the token endpoint."));
			}
			Instant now = clock.instant();
			if (jwt.getExpiresAt() == null) {
				errors.add(error("exp is required."));
			}
			else if (jwt.getExpiresAt().isAfter(now.plus(MAX_LIFETIME).plus(SKEW))) {
				errors.add(error("exp may be at most an hour ahead."));
			}
			errors.addAll(timestamps.validate(jwt).getErrors());
			if (jwt.getId() == null || jwt.getId().isBlank()) {
				errors.add(error("jti is required."));
			}
			if (!errors.isEmpty()) {
				return OAuth2TokenValidatorResult.failure(errors);
			}
			return firstUse(clientId, jwt.getId(), jwt.getExpiresAt()) ? OAuth2TokenValidatorResult.success()
					: OAuth2TokenValidatorResult.failure(error("This client assertion (jti) was already used."));
		};
	}

	/** Remembers the assertion's jti until it expires; false when it was seen before. */
	private boolean firstUse(String clientId, String jti, Instant expiresAt) {
		Timestamp now = Timestamp.from(clock.instant());
		jdbc.sql("delete from oidc_client_assertion where expires_at < ?").param(now).update();
		try {
			jdbc.sql("insert into oidc_client_assertion (id, expires_at) values (?, ?)")
				.param(SecureTokens.hash(clientId + "\n" + jti))
				.param(Timestamp.from(expiresAt.plus(SKEW)))
				.update();
			return true;
		}
		catch (DuplicateKeyException e) {
			return false;
		}
	}

	/** Whether the client authenticates with {@code private_key_jwt}. */
	static boolean usesKeys(RegisteredClient client) {
		return client.getClientAuthenticationMethods().contains(ClientAuthenticationMethod.PRIVATE_KEY_JWT);
	}

	static String inlineJwks(RegisteredClient client) {
		Object jwks = client.getClientSettings().getSetting(JWKS);
		return jwks instanceof String s ? s : null;
	}

	/** The client's keys as registered, or null for a client without any. */
	static OidcClients.ClientKeys keys(RegisteredClient client) {
		return usesKeys(client)
				? new OidcClients.ClientKeys(client.getClientSettings().getJwkSetUrl(), inlineJwks(client)) : null;
	}

	/**
	 * Checks the keys being registered and writes them into the client's settings. A {@code jwks_uri} must be https,
	 * or http on a loopback address for development (the rule of redirect URIs, RFC 8252 §7.3): Plinto fetches it,
	 * so it must not lead anywhere else in clear text. An inline JWKS must hold only public signing keys (RSA of at
	 * least 2048 bits, or EC P-256), never a private part (RFC 7517 §4.2, RFC 7518 §3.3).
	 */
	static void register(OidcClients.ClientKeys keys, ClientSettings.Builder settings) {
		boolean hasUri = keys.jwksUri() != null && !keys.jwksUri().isBlank();
		boolean hasJwks = keys.jwks() != null && !keys.jwks().isBlank();
		if (hasUri == hasJwks) {
			throw new IllegalArgumentException("A private_key_jwt client needs exactly one of a JWKS URI or a JWKS.");
		}
		if (hasUri) {
			settings.jwkSetUrl(checkedJwksUri(keys.jwksUri().strip()));
			return;
		}
		settings.setting(JWKS, checkedJwks(keys.jwks()));
	}

	private static String checkedJwksUri(String raw) {
		URI uri;
		try {
			uri = new URI(raw);
		}
		catch (URISyntaxException e) {
			throw new IllegalArgumentException("The JWKS URI " + raw + " is not a URI.");
		}
		String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
		String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
		boolean loopback = "http".equals(scheme) && List.of("localhost", "127.0.0.1", "[::1]").contains(host);
		if (!("https".equals(scheme) && !host.isEmpty()) && !loopback || uri.getRawFragment() != null
				|| uri.getRawUserInfo() != null) {
			throw new IllegalArgumentException("The JWKS URI " + raw + " must be https (or http on a loopback "
					+ "address), without fragment or user info.");
		}
		return raw;
	}

	private static String checkedJwks(String raw) {
		if (raw.length() > MAX_JWKS) {
			throw new IllegalArgumentException("The JWKS is too long (at most " + MAX_JWKS + " characters).");
		}
		JWKSet set;
		try {
			set = JWKSet.parse(raw);
		}
		catch (ParseException e) {
			throw new IllegalArgumentException("The JWKS is not a JSON Web Key Set (RFC 7517 §5): " + e.getMessage());
		}
		if (set.getKeys().isEmpty()) {
			throw new IllegalArgumentException("The JWKS holds no key.");
		}
		for (JWK key : set.getKeys()) {
			if (key.isPrivate()) {
				throw new IllegalArgumentException("The JWKS holds a private key; register only the public keys "
						+ "(and keep the private one secret).");
			}
			if (KeyUse.ENCRYPTION.equals(key.getKeyUse())) {
				throw new IllegalArgumentException("The JWKS key " + key.getKeyID() + " is for encryption, not signing.");
			}
			boolean rsa = key instanceof RSAKey r && r.size() >= 2048;
			boolean ec = key instanceof ECKey e && Curve.P_256.equals(e.getCurve());
			if (!rsa && !ec) {
				throw new IllegalArgumentException("The JWKS may hold only RSA keys of at least 2048 bits and EC "
						+ "P-256 keys (for RS256, PS256, ES256).");
			}
		}
		return set.toString(true);
	}

	private static OAuth2Error error(String description) {
		return new OAuth2Error(OAuth2ErrorCodes.INVALID_CLIENT, "Client assertion refused: " + description,
				"https://datatracker.ietf.org/doc/html/rfc7523#section-3");
	}

	private static OAuth2AuthenticationException invalid(String description) {
		return new OAuth2AuthenticationException(error(description));
	}
}
