package dev.plinto.oidc;

import dev.plinto.config.PlintoSettings;
import dev.plinto.crypto.SecureTokens;
import dev.plinto.session.SessionEnded;
import dev.plinto.webhook.EndpointAddresses;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * OpenID Connect Back-Channel Logout 1.0: when a Plinto session ends, for whatever reason (sign-out on the pages or
 * the JSON API, RP-initiated logout, revocation, "sign out everywhere", a password change, refresh-token reuse,
 * account deletion: every path publishes {@link SessionEnded}), each client that got tokens in that session
 * ({@link SessionClients}) and registered a {@code backchannel_logout_uri} receives a logout token by POST.
 * <ul>
 * <li><b>The token</b> (§2.4): a JWT signed with Plinto's active key (the JWKS of discovery), header
 * {@code typ: logout+jwt} (§2.4, as RFC 8725 §3.11 recommends), claims {@code iss}, {@code aud} (the client id),
 * {@code iat}, {@code exp} (two minutes), {@code jti}, {@code sub} (the user), {@code sid} (the session, always,
 * so clients registered with {@code backchannel_logout_session_required} get it), {@code events} with
 * {@code http://schemas.openid.net/event/backchannel-logout}, and never a {@code nonce} (§2.4).</li>
 * <li><b>The request</b> (§2.5): {@code application/x-www-form-urlencoded} {@code logout_token=…}, sent after the
 * transaction that ended the session committed, on a background thread, so a sign-out never waits for a client.
 * Redirects are not followed (§2.8) and each attempt has a 5-second limit.</li>
 * <li><b>Server-side request forgery</b>: the address is checked before every attempt with the webhooks' rules
 * (OWASP SSRF Prevention Cheat Sheet: internal networks refused unless {@code PLINTO_WEBHOOKS_ALLOWED_NETWORKS}
 * lists them), see {@link EndpointAddresses}.</li>
 * <li><b>Retries</b>: an answer other than 2xx, a timeout or a connection failure is retried after 2 s, 10 s and
 * 60 s (four attempts); a 400 is the client's refusal (§2.8) and is not retried. The retries live in memory: a node
 * that stops during them drops them.</li>
 * </ul>
 */
final class BackchannelLogout implements DisposableBean {

	private static final Logger log = LoggerFactory.getLogger(BackchannelLogout.class);

	static final String EVENT = "http://schemas.openid.net/event/backchannel-logout";

	/** When the attempts after the first are made, counted from the previous one. */
	static final List<Duration> RETRIES = List.of(Duration.ofSeconds(2), Duration.ofSeconds(10), Duration.ofSeconds(60));

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	private final SessionClients sessionClients;

	private final RegisteredClientRepository clients;

	private final JwtEncoder encoder;

	private final EndpointAddresses addresses;

	private final PlintoSettings settings;

	private final Clock clock;

	private final HttpClient http = HttpClient.newBuilder()
		.followRedirects(HttpClient.Redirect.NEVER)
		.connectTimeout(TIMEOUT)
		.build();

	private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
		Thread thread = new Thread(runnable, "oidc-backchannel-logout");
		thread.setDaemon(true);
		return thread;
	});

	BackchannelLogout(SessionClients sessionClients, RegisteredClientRepository clients, JwtEncoder encoder,
			EndpointAddresses addresses, PlintoSettings settings, Clock clock) {
		this.sessionClients = sessionClients;
		this.clients = clients;
		this.encoder = encoder;
		this.addresses = addresses;
		this.settings = settings;
		this.clock = clock;
	}

	/** After the session's end committed (or at once outside a transaction): the logout tokens go out. */
	@TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
	void sessionEnded(SessionEnded ended) {
		List<String> registeredIds;
		try {
			registeredIds = sessionClients.clients(ended.sessionId());
			if (registeredIds.isEmpty()) {
				return;
			}
			sessionClients.forget(ended.sessionId());
		}
		catch (RuntimeException e) {
			log.warn("Back-channel logout of a session could not read its clients: {}", e.toString());
			return;
		}
		for (String registeredId : registeredIds) {
			RegisteredClient client = clients.findById(registeredId);
			URI target = client == null ? null : OidcClients.backchannelLogoutUri(client);
			if (target == null) {
				continue;
			}
			String token = logoutToken(client.getClientId(), ended.userId(), ended.sessionId());
			executor.execute(() -> attempt(client.getClientId(), target, token, 0));
		}
	}

	/** The signed logout token (§2.4). */
	String logoutToken(String clientId, String userId, String sessionId) {
		Instant now = clock.instant();
		JwtClaimsSet claims = JwtClaimsSet.builder()
			.issuer(settings.baseUrl())
			.audience(List.of(clientId))
			.issuedAt(now)
			.expiresAt(now.plus(Duration.ofMinutes(2)))
			.id(SecureTokens.newId("lgt"))
			.subject(userId)
			.claim("sid", sessionId)
			.claim("events", Map.of(EVENT, Map.of()))
			.build();
		JwsHeader header = JwsHeader.with(SignatureAlgorithm.RS256).type("logout+jwt").build();
		return encoder.encode(JwtEncoderParameters.from(header, claims)).getTokenValue();
	}

	private void attempt(String clientId, URI target, String token, int done) {
		boolean retry;
		try {
			addresses.checkBeforeDelivery(target);
			HttpRequest request = HttpRequest.newBuilder(target)
				.timeout(TIMEOUT)
				.header("Content-Type", "application/x-www-form-urlencoded")
				.POST(HttpRequest.BodyPublishers.ofString("logout_token=" + URLEncoder.encode(token,
						StandardCharsets.UTF_8)))
				.build();
			int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
			if (status / 100 == 2) {
				log.debug("Back-channel logout delivered to client {}", clientId);
				return;
			}
			retry = status != 400;
			log.info("Back-channel logout to client {} answered {} (attempt {})", clientId, status, done + 1);
		}
		catch (EndpointAddresses.Refused e) {
			log.warn("Back-channel logout to client {} not sent: {}", clientId, e.getMessage());
			return;
		}
		catch (IOException e) {
			retry = true;
			log.info("Back-channel logout to client {} failed (attempt {}): {}", clientId, done + 1, e.toString());
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			return;
		}
		if (retry && done < RETRIES.size()) {
			executor.schedule(() -> attempt(clientId, target, token, done + 1), RETRIES.get(done).toMillis(),
					TimeUnit.MILLISECONDS);
		}
		else if (retry) {
			log.warn("Back-channel logout to client {} given up after {} attempts", clientId, done + 1);
		}
	}

	@Override
	public void destroy() {
		executor.shutdownNow();
	}
}
