package dev.plinto.oidc;

import dev.plinto.audit.AuditEvent;
import dev.plinto.audit.AuditLog;
import dev.plinto.crypto.SecureTokens;
import dev.plinto.web.ClientInfo;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;
import org.springframework.transaction.support.TransactionOperations;

/**
 * The OpenID provider's registered clients (docs/oidc.md, "Clients"): create, list, show, change, rotate the secret
 * of, and delete them, as {@code plinto clients …} does. A confidential client gets a secret of 256 random bits,
 * shown once and stored only as a salted hash ({@link ClientSecrets}), unless it authenticates with
 * {@code private_key_jwt} and registers public keys instead ({@link ClientKeys}, {@link ClientAssertions}); a public
 * client has none and must use PKCE. Dynamic registration ({@link ClientRegistrationEndpoint}) goes through the same
 * rules.
 * <p>
 * The rules are those of RFC 9700 (OAuth 2.0 Security BCP) and RFC 8252 (native apps): redirect URIs are absolute,
 * without fragment (RFC 6749 §3.1.2), https or http on a loopback address (RFC 8252 §7.3) or a private-use scheme
 * with a dot (RFC 8252 §7.1), and are later compared exactly as registered (RFC 9700 §4.1.3); PKCE with S256 is
 * required of public clients and, unless switched off, of confidential ones too (RFC 9700 §2.1.1); the implicit
 * and password grants are not offered (RFC 9700 §2.1.2 and §2.4). The device authorization grant (RFC 8628) and
 * token exchange (RFC 8693) are given only to the clients registered for them. Every change is audited.
 */
public final class OidcClients {

	/** Whether the client can keep a secret (RFC 6749 §2.1). */
	public enum Type {
		CONFIDENTIAL, PUBLIC
	}

	/** The device authorization grant (RFC 8628 §3.4). */
	public static final String DEVICE_CODE = AuthorizationGrantType.DEVICE_CODE.getValue();

	/** The token exchange grant (RFC 8693 §2.1). */
	public static final String TOKEN_EXCHANGE = AuthorizationGrantType.TOKEN_EXCHANGE.getValue();

	/** The grants a client may use, by their registered names (RFC 7591 §2, {@code grant_types}). */
	public static final Set<String> GRANTS = Set.of("authorization_code", "refresh_token", "client_credentials",
			DEVICE_CODE, TOKEN_EXCHANGE);

	/** The short names the command line accepts for the grants whose names are URNs. */
	private static final java.util.Map<String, String> ALIASES = java.util.Map.of("device_code", DEVICE_CODE,
			"token-exchange", TOKEN_EXCHANGE, "token_exchange", TOKEN_EXCHANGE);

	/** The scopes Plinto defines claims for; a client may also be given scopes of its own APIs. */
	public static final Set<String> STANDARD_SCOPES = Set.of("openid", "profile", "email", "offline_access", "org");

	/** The client setting holding the logo shown on the consent page (an extension of Spring's settings). */
	static final String LOGO_URI = "settings.client.plinto.logo-uri";

	/** The client setting holding the back-channel logout URI (OpenID Connect Back-Channel Logout 1.0 §2.2). */
	static final String BACKCHANNEL_LOGOUT_URI = "settings.client.plinto.backchannel-logout-uri";

	/** The client setting of {@code backchannel_logout_session_required}. */
	static final String BACKCHANNEL_LOGOUT_SESSION_REQUIRED = "settings.client.plinto.backchannel-logout-session-required";

	/** The settings {@link #setSessionOptions} owns, kept by {@link #update}. */
	private static final List<String> SESSION_SETTINGS = List.of(BACKCHANNEL_LOGOUT_URI,
			BACKCHANNEL_LOGOUT_SESSION_REQUIRED, OfflineAccess.REFRESH_WITHOUT_OFFLINE_ACCESS);

	/** RFC 6749 §3.3 scope-token: printable ASCII without space, quote or backslash. */
	private static final Pattern SCOPE = Pattern.compile("[\\x21\\x23-\\x5B\\x5D-\\x7E]{1,100}");

	private final RegisteredClientRepository repository;

	private final JdbcClient jdbc;

	private final ClientSecrets secrets;

	private final AuditLog audit;

	private final Clock clock;

	private final TransactionOperations tx;

	OidcClients(RegisteredClientRepository repository, JdbcClient jdbc, ClientSecrets secrets, AuditLog audit,
			Clock clock, TransactionOperations tx) {
		this.repository = repository;
		this.jdbc = jdbc;
		this.secrets = secrets;
		this.audit = audit;
		this.clock = clock;
		this.tx = tx;
	}

	/**
	 * What an operator registers. {@code accessTokenTtl} and {@code refreshTokenTtl} may be null for the defaults
	 * (5 minutes, 30 days); {@code requirePkce} is forced on for a public client.
	 */
	public record Spec(String name, Type type, List<String> redirectUris, List<String> postLogoutRedirectUris,
			Set<String> grants, Set<String> scopes, boolean firstParty, boolean requirePkce, String logoUri,
			Duration accessTokenTtl, Duration refreshTokenTtl, ClientKeys keys) {

		/** A client authenticating with its secret. */
		public Spec(String name, Type type, List<String> redirectUris, List<String> postLogoutRedirectUris,
				Set<String> grants, Set<String> scopes, boolean firstParty, boolean requirePkce, String logoUri,
				Duration accessTokenTtl, Duration refreshTokenTtl) {
			this(name, type, redirectUris, postLogoutRedirectUris, grants, scopes, firstParty, requirePkce, logoUri,
					accessTokenTtl, refreshTokenTtl, null);
		}
	}

	/**
	 * The public keys of a confidential client that authenticates with {@code private_key_jwt} instead of a secret
	 * (RFC 7523 §2.2, OpenID Connect Core §9): exactly one of a {@code jwks_uri} Plinto fetches them from, or the
	 * JWKS itself (RFC 7517 JSON, public keys only).
	 */
	public record ClientKeys(String jwksUri, String jwks) {
	}

	/** A registered client as shown to operators (never its secret or its hash). */
	public record Client(String clientId, String name, Type type, List<String> redirectUris,
			List<String> postLogoutRedirectUris, List<String> grants, List<String> scopes, boolean firstParty,
			boolean requirePkce, String logoUri, Duration accessTokenTtl, Duration refreshTokenTtl,
			Instant createdAt, ClientKeys keys) {

		/** How the client authenticates at the token endpoint (discovery's names). */
		public String authMethod() {
			return type == Type.PUBLIC ? "none" : keys != null ? "private_key_jwt" : "client_secret_basic";
		}
	}

	/** A new client and, for a confidential one, its secret, which exists nowhere else. */
	public record Created(Client client, String secret) {
	}

	/**
	 * A refused registration or change: the sentence for the operator (the command line prints it) and the field it
	 * is about, by its Backend API name ({@code redirect_uris}, {@code grants}, …), for problem+json answers.
	 */
	public static class Refused extends IllegalArgumentException {

		private final String field;

		Refused(String field, String message) {
			super(message);
			this.field = field;
		}

		public String field() {
			return field;
		}
	}

	/** A secret asked of a client that has none: a public client, or one with {@code private_key_jwt}. */
	public static final class NoSecret extends Refused {

		NoSecret(String clientId) {
			super("type", "Client " + clientId + " has no secret (it is public or uses private_key_jwt).");
		}
	}

	/** There is no client with the id asked for. */
	public static final class UnknownClient extends IllegalArgumentException {

		UnknownClient(String clientId) {
			super("There is no client " + clientId + "; `plinto clients list` shows them.");
		}
	}

	/**
	 * What to register or change, each field null to keep it (in {@link #change}) or take the default (in
	 * {@link #create(Type, Changes, ClientInfo)}): the one way the command line, the Backend API and the dashboard
	 * describe a client. {@code keys} set turns a confidential client into a {@code private_key_jwt} one (or
	 * replaces its keys); a blank {@code logoUri} or {@code backchannelLogoutUri} removes it.
	 */
	public record Changes(String name, List<String> redirectUris, List<String> postLogoutRedirectUris,
			Set<String> grants, Set<String> scopes, Boolean firstParty, Boolean requirePkce, String logoUri,
			Duration accessTokenTtl, Duration refreshTokenTtl, ClientKeys keys, String backchannelLogoutUri,
			Boolean backchannelLogoutSessionRequired, Boolean refreshWithoutOfflineAccess) {

		/** The registration these changes make of {@code base} (null: a new client of {@code type}). */
		Spec spec(Type type, Client base) {
			return new Spec(name != null ? name : base == null ? null : base.name(), type,
					redirectUris != null ? redirectUris : base == null ? List.of() : base.redirectUris(),
					postLogoutRedirectUris != null ? postLogoutRedirectUris
							: base == null ? List.of() : base.postLogoutRedirectUris(),
					grants != null ? grants : base == null ? null : new LinkedHashSet<>(base.grants()),
					scopes != null ? scopes : base == null ? null : new LinkedHashSet<>(base.scopes()),
					firstParty != null ? firstParty : base != null && base.firstParty(),
					requirePkce != null ? requirePkce : base == null || base.requirePkce(),
					logoUri != null ? logoUri : base == null ? null : base.logoUri(),
					accessTokenTtl != null ? accessTokenTtl : base == null ? null : base.accessTokenTtl(),
					refreshTokenTtl != null ? refreshTokenTtl : base == null ? null : base.refreshTokenTtl(),
					keys != null ? keys : base == null ? null : base.keys());
		}

		/** The session options these changes make of {@code base}. */
		SessionOptions sessionOptions(SessionOptions base) {
			return new SessionOptions(backchannelLogoutUri != null ? checkedBackchannelLogoutUri(backchannelLogoutUri)
					: base.backchannelLogoutUri(),
					backchannelLogoutSessionRequired != null ? backchannelLogoutSessionRequired
							: base.backchannelLogoutSessionRequired(),
					refreshWithoutOfflineAccess != null ? refreshWithoutOfflineAccess
							: base.refreshWithoutOfflineAccess());
		}
	}

	/** A client with its session options, as {@code show} prints it and the Backend API answers it. */
	public record Details(Client client, SessionOptions session) {
	}

	/**
	 * Registers a client of {@code type} from {@code changes} (absent fields take their defaults) with its session
	 * options; everything is checked before anything is stored.
	 */
	public Created create(Type type, Changes changes, ClientInfo by) {
		checkedBackchannelLogoutUri(changes.backchannelLogoutUri());
		Created created = create(changes.spec(type, null), by);
		SessionOptions none = new SessionOptions(null, false, false);
		SessionOptions session = changes.sessionOptions(none);
		if (!session.equals(none)) {
			setSessionOptions(created.client().clientId(), session, by);
		}
		return created;
	}

	/** Changes what is given in {@code changes}; the rest stays, as do the id, the type and the secret. */
	public Details change(String clientId, Changes changes, ClientInfo by) {
		Client existing = find(clientId).orElseThrow(() -> new UnknownClient(clientId));
		checkedBackchannelLogoutUri(changes.backchannelLogoutUri());
		Client changed = update(clientId, changes.spec(existing.type(), existing), by);
		SessionOptions current = sessionOptions(clientId);
		SessionOptions session = changes.sessionOptions(current);
		return new Details(changed, session.equals(current) ? current : setSessionOptions(clientId, session, by));
	}

	/** The client with its session options. */
	public Details details(String clientId) {
		Client client = find(clientId).orElseThrow(() -> new UnknownClient(clientId));
		return new Details(client, sessionOptions(clientId));
	}

	public Created create(Spec spec, ClientInfo by) {
		Instant now = clock.instant();
		String secret = spec.type() == Type.CONFIDENTIAL && spec.keys() == null ? ClientSecrets.newSecret() : null;
		RegisteredClient client = build(RegisteredClient.withId(SecureTokens.newId("ocl"))
			.clientId(SecureTokens.newId("cli"))
			.clientIdIssuedAt(now), spec, secret);
		repository.save(client);
		audit.record(AuditEvent.Type.OIDC_CLIENT_CREATED, null, null, by,
				client.getClientId() + " (" + spec.type().name().toLowerCase(Locale.ROOT) + "): " + spec.name());
		return new Created(view(client), secret);
	}

	/** Every client, oldest first. */
	public List<Client> list() {
		return list(null, null, Integer.MAX_VALUE).stream().map(Details::client).toList();
	}

	/**
	 * At most {@code limit} clients, oldest first, after the client issued at {@code afterIssuedAt} with the id
	 * {@code afterClientId} (both null: from the first).
	 */
	public List<Details> list(Instant afterIssuedAt, String afterClientId, int limit) {
		String sql = "select client_id from oauth2_registered_client"
				+ (afterIssuedAt == null ? "" : " where client_id_issued_at > :at or (client_id_issued_at = :at and client_id > :id)")
				+ " order by client_id_issued_at, client_id";
		JdbcClient.StatementSpec statement = jdbc.sql(sql);
		if (afterIssuedAt != null) {
			statement = statement.param("at", java.sql.Timestamp.from(afterIssuedAt)).param("id", afterClientId);
		}
		return statement.query(String.class)
			.list()
			.stream()
			.limit(limit)
			.map(repository::findByClientId)
			.filter(java.util.Objects::nonNull)
			.map(client -> new Details(view(client), sessionOptions(client)))
			.toList();
	}

	public Optional<Client> find(String clientId) {
		return Optional.ofNullable(repository.findByClientId(clientId)).map(OidcClients::view);
	}

	/** Replaces what the client is allowed and shown as; the id, type and secret stay. */
	public Client update(String clientId, Spec spec, ClientInfo by) {
		RegisteredClient existing = existing(clientId);
		Type type = typeOf(existing);
		if (spec.type() != type) {
			throw new Refused("type", "A client's type cannot change; delete it and create a new one.");
		}
		RegisteredClient.Builder builder = RegisteredClient.withId(existing.getId())
			.clientId(existing.getClientId())
			.clientIdIssuedAt(existing.getClientIdIssuedAt());
		if (spec.keys() == null && ClientAssertions.usesKeys(existing)) {
			throw new Refused("jwks_uri", "Client " + clientId + " authenticates with private_key_jwt; give its "
					+ "keys (--jwks-uri or --jwks-file), or delete it and create a client with a secret.");
		}
		RegisteredClient changed = build(builder, spec, null);
		changed = withSessionSettings(changed, existing.getClientSettings().getSettings());
		if (existing.getClientSecret() != null && spec.keys() == null) {
			changed = RegisteredClient.from(changed).clientSecret(existing.getClientSecret()).build();
		}
		repository.save(changed);
		audit.record(AuditEvent.Type.OIDC_CLIENT_UPDATED, null, null, by, clientId);
		return view(changed);
	}

	/**
	 * How a client takes part in the user's session (docs/oidc.md, "Logout" and "Scopes and claims"):
	 * {@code backchannelLogoutUri} (null for none) receives a logout token when a session the client got tokens in
	 * ends; {@code backchannelLogoutSessionRequired} is the client's registration metadata of the same name (Plinto
	 * always sends {@code sid}); {@code refreshWithoutOfflineAccess} gives the client refresh tokens for OpenID
	 * Connect grants without the {@code offline_access} scope ({@link OfflineAccess}).
	 */
	public record SessionOptions(String backchannelLogoutUri, boolean backchannelLogoutSessionRequired,
			boolean refreshWithoutOfflineAccess) {
	}

	/** The client's session options. */
	public SessionOptions sessionOptions(String clientId) {
		return sessionOptions(existing(clientId));
	}

	private static SessionOptions sessionOptions(RegisteredClient client) {
		URI uri = backchannelLogoutUri(client);
		return new SessionOptions(uri == null ? null : uri.toString(),
				Boolean.TRUE.equals(client.getClientSettings().getSetting(BACKCHANNEL_LOGOUT_SESSION_REQUIRED)),
				OfflineAccess.optedOut(client));
	}

	/**
	 * Replaces the client's session options. The back-channel logout URI follows the redirect URIs' rules without
	 * private-use schemes (a server receives it): absolute https, or http on a loopback address for development, no
	 * fragment (OpenID Connect Back-Channel Logout 1.0 §2.2); where it may connect is checked again at each delivery.
	 */
	public SessionOptions setSessionOptions(String clientId, SessionOptions options, ClientInfo by) {
		RegisteredClient existing = existing(clientId);
		String uri = checkedBackchannelLogoutUri(options.backchannelLogoutUri());
		java.util.Map<String, Object> settings = new java.util.LinkedHashMap<>(existing.getClientSettings().getSettings());
		SESSION_SETTINGS.forEach(settings::remove);
		if (uri != null) {
			settings.put(BACKCHANNEL_LOGOUT_URI, uri);
		}
		if (options.backchannelLogoutSessionRequired()) {
			settings.put(BACKCHANNEL_LOGOUT_SESSION_REQUIRED, true);
		}
		if (options.refreshWithoutOfflineAccess()) {
			settings.put(OfflineAccess.REFRESH_WITHOUT_OFFLINE_ACCESS, true);
		}
		repository.save(RegisteredClient.from(existing)
			.clientSettings(ClientSettings.withSettings(settings).build())
			.build());
		audit.record(AuditEvent.Type.OIDC_CLIENT_UPDATED, null, null, by, clientId);
		return sessionOptions(clientId);
	}

	/**
	 * A back-channel logout URI as registered (null or blank: none), or {@link IllegalArgumentException} with the
	 * sentence for the operator.
	 */
	public static String checkedBackchannelLogoutUri(String raw) {
		String uri = raw == null || raw.isBlank() ? null : raw.strip();
		if (uri != null) {
			checkedUris(List.of(uri), "back-channel logout URI", "backchannel_logout_uri");
			if (uri.substring(0, uri.indexOf(':')).contains(".")) {
				throw new Refused("backchannel_logout_uri", "The back-channel logout URI " + uri
						+ " must be https (or http on a loopback address).");
			}
		}
		return uri;
	}

	/** The client as built, with the session options of {@code from} (which {@link #build} does not know). */
	private static RegisteredClient withSessionSettings(RegisteredClient client, java.util.Map<String, Object> from) {
		java.util.Map<String, Object> settings = new java.util.LinkedHashMap<>(client.getClientSettings().getSettings());
		SESSION_SETTINGS.stream().filter(from::containsKey).forEach(key -> settings.put(key, from.get(key)));
		return RegisteredClient.from(client).clientSettings(ClientSettings.withSettings(settings).build()).build();
	}

	/** The client's back-channel logout URI, or null. */
	static URI backchannelLogoutUri(RegisteredClient client) {
		Object uri = client.getClientSettings().getSetting(BACKCHANNEL_LOGOUT_URI);
		return uri instanceof String s && !s.isEmpty() ? URI.create(s) : null;
	}

	/**
	 * A new secret for a confidential client; the old one stops working at once (deploy the new one first where
	 * that matters: there is no overlap).
	 */
	public String rotateSecret(String clientId, ClientInfo by) {
		RegisteredClient existing = existing(clientId);
		if (typeOf(existing) != Type.CONFIDENTIAL || ClientAssertions.usesKeys(existing)) {
			throw new NoSecret(clientId);
		}
		String secret = ClientSecrets.newSecret();
		repository.save(RegisteredClient.from(existing).clientSecret(secrets.encode(secret)).build());
		audit.record(AuditEvent.Type.OIDC_CLIENT_SECRET_ROTATED, null, null, by, clientId);
		return secret;
	}

	/** Deletes the client with its authorizations (so its tokens stop working) and its users' consents. */
	public void delete(String clientId, ClientInfo by) {
		RegisteredClient existing = existing(clientId);
		tx.executeWithoutResult(status -> {
			jdbc.sql("delete from oauth2_authorization where registered_client_id = ?").param(existing.getId()).update();
			jdbc.sql("delete from oauth2_authorization_consent where registered_client_id = ?")
				.param(existing.getId())
				.update();
			jdbc.sql("delete from oauth2_registered_client where id = ?").param(existing.getId()).update();
		});
		audit.record(AuditEvent.Type.OIDC_CLIENT_DELETED, null, null, by, clientId);
	}

	private RegisteredClient existing(String clientId) {
		RegisteredClient client = clientId == null ? null : repository.findByClientId(clientId);
		if (client == null) {
			throw new UnknownClient(clientId);
		}
		return client;
	}

	private RegisteredClient build(RegisteredClient.Builder builder, Spec spec, String secret) {
		if (spec.name() == null || spec.name().isBlank() || spec.name().length() > 200) {
			throw new Refused("name", "A client needs a name of 1 to 200 characters (shown on the consent page).");
		}
		Set<String> grants = new LinkedHashSet<>();
		for (String grant : spec.grants() == null || spec.grants().isEmpty()
				? List.of("authorization_code", "refresh_token") : spec.grants()) {
			String name = grant == null ? "null" : ALIASES.getOrDefault(grant, grant);
			if (!GRANTS.contains(name)) {
				throw new Refused("grants", "Unknown grant " + grant + "; use authorization_code, refresh_token, "
						+ "client_credentials, device_code or token-exchange.");
			}
			grants.add(name);
		}
		boolean isPublic = spec.type() == Type.PUBLIC;
		if (isPublic && grants.contains("client_credentials")) {
			throw new Refused("grants", "A public client cannot use client_credentials: it has no secret.");
		}
		// RFC 8693 §2.1: the exchange is a token request, and only a client that authenticates may turn one
		// party's token into another's (RFC 8693 §5, "Security Considerations").
		if (isPublic && grants.contains(TOKEN_EXCHANGE)) {
			throw new Refused("grants", "A public client cannot use token-exchange: it has no secret.");
		}
		// A public device client has no secret to authenticate a refresh with (RFC 8628 §5.6; RFC 9700 §4.14.2 asks
		// for sender-constrained or rotated refresh tokens of public clients), so it gets none.
		if (isPublic && grants.contains(DEVICE_CODE) && grants.contains("refresh_token")) {
			throw new Refused("grants", "A public client with device_code gets no refresh tokens; leave out "
					+ "refresh_token (e.g. --grants device_code).");
		}
		List<String> redirects = checkedUris(spec.redirectUris(), "redirect URI", "redirect_uris");
		List<String> logoutRedirects = checkedUris(spec.postLogoutRedirectUris(), "post-logout redirect URI",
				"post_logout_redirect_uris");
		if (grants.contains("authorization_code") && redirects.isEmpty()) {
			throw new Refused("redirect_uris", "A client with the authorization_code grant needs at least one redirect URI.");
		}
		// The device flow issues no ID token, so its default leaves out openid (which the library refuses there).
		Set<String> scopes = spec.scopes() == null || spec.scopes().isEmpty()
				? new LinkedHashSet<>(grants.contains("authorization_code") ? List.of("openid", "profile", "email")
						: grants.contains(DEVICE_CODE) ? List.of("profile", "email") : List.of())
				: new LinkedHashSet<>(spec.scopes());
		for (String scope : scopes) {
			if (scope == null || !SCOPE.matcher(scope).matches()) {
				throw new Refused("scopes", "Scope " + scope + " is not a valid scope token (RFC 6749 §3.3).");
			}
		}
		if (spec.logoUri() != null && !spec.logoUri().isEmpty() && !spec.logoUri().startsWith("https://")) {
			throw new Refused("logo_uri", "The logo URI must be https.");
		}
		Duration access = spec.accessTokenTtl() == null ? Duration.ofMinutes(5) : spec.accessTokenTtl();
		Duration refresh = spec.refreshTokenTtl() == null ? Duration.ofDays(30) : spec.refreshTokenTtl();
		if (access.compareTo(Duration.ofSeconds(30)) < 0 || access.compareTo(Duration.ofDays(1)) > 0) {
			throw new Refused("access_token_ttl_seconds", "The access token lifetime must be between 30 seconds and 1 day.");
		}
		if (refresh.compareTo(Duration.ofMinutes(5)) < 0 || refresh.compareTo(Duration.ofDays(365)) > 0) {
			throw new Refused("refresh_token_ttl_seconds", "The refresh token lifetime must be between 5 minutes and 365 days.");
		}
		builder.clientName(spec.name().strip());
		ClientSettings.Builder settings = ClientSettings.builder()
			.requireProofKey(isPublic || spec.requirePkce())
			.requireAuthorizationConsent(!spec.firstParty());
		if (isPublic) {
			if (spec.keys() != null) {
				throw new Refused("jwks_uri", "A public client has no keys; private_key_jwt is for confidential "
						+ "clients.");
			}
			builder.clientAuthenticationMethod(ClientAuthenticationMethod.NONE);
		}
		else if (spec.keys() != null) {
			builder.clientAuthenticationMethod(ClientAuthenticationMethod.PRIVATE_KEY_JWT);
			try {
				ClientAssertions.register(spec.keys(), settings);
			}
			catch (Refused e) {
				throw e;
			}
			catch (IllegalArgumentException e) {
				throw new Refused(spec.keys().jwksUri() != null ? "jwks_uri" : "jwks", e.getMessage());
			}
		}
		else {
			builder.clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
				.clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_POST);
			if (secret != null) {
				builder.clientSecret(secrets.encode(secret));
			}
		}
		grants.forEach(g -> builder.authorizationGrantType(new AuthorizationGrantType(g)));
		redirects.forEach(builder::redirectUri);
		logoutRedirects.forEach(builder::postLogoutRedirectUri);
		scopes.forEach(builder::scope);
		if (spec.logoUri() != null && !spec.logoUri().isEmpty()) {
			settings.setting(LOGO_URI, spec.logoUri());
		}
		builder.clientSettings(settings.build());
		builder.tokenSettings(TokenSettings.builder()
			.accessTokenTimeToLive(access)
			.refreshTokenTimeToLive(refresh)
			.authorizationCodeTimeToLive(Duration.ofMinutes(5))
			.reuseRefreshTokens(false)
			.build());
		return builder.build();
	}

	private static List<String> checkedUris(List<String> uris, String what, String field) {
		List<String> out = new ArrayList<>();
		for (String raw : uris == null ? List.<String>of() : uris) {
			if (raw == null) {
				throw new Refused(field, "A " + what + " cannot be null.");
			}
			URI uri;
			try {
				uri = new URI(raw);
			}
			catch (URISyntaxException e) {
				throw new Refused(field, "The " + what + " " + raw + " is not a URI.");
			}
			String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
			if (!uri.isAbsolute() || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
				throw new Refused(field, "The " + what + " " + raw
						+ " must be absolute, without fragment or user info (RFC 6749 §3.1.2).");
			}
			boolean loopback = "http".equals(scheme) && uri.getHost() != null
					&& List.of("localhost", "127.0.0.1", "[::1]").contains(uri.getHost().toLowerCase(Locale.ROOT));
			boolean privateUse = scheme.contains(".");
			if (!("https".equals(scheme) && uri.getHost() != null) && !loopback && !privateUse) {
				throw new Refused(field, "The " + what + " " + raw + " must be https, http on a loopback "
						+ "address, or a private-use scheme such as com.example.app:/callback (RFC 8252 §7).");
			}
			if (!out.contains(raw)) {
				out.add(raw);
			}
		}
		return out;
	}

	private static Type typeOf(RegisteredClient client) {
		return client.getClientAuthenticationMethods().contains(ClientAuthenticationMethod.NONE) ? Type.PUBLIC
				: Type.CONFIDENTIAL;
	}

	static boolean firstParty(RegisteredClient client) {
		return !client.getClientSettings().isRequireAuthorizationConsent();
	}

	static String logoUri(RegisteredClient client) {
		Object logo = client.getClientSettings().getSetting(LOGO_URI);
		return logo instanceof String s ? s : null;
	}

	static Client view(RegisteredClient client) {
		return new Client(client.getClientId(), client.getClientName(), typeOf(client),
				List.copyOf(client.getRedirectUris()), List.copyOf(client.getPostLogoutRedirectUris()),
				client.getAuthorizationGrantTypes().stream().map(AuthorizationGrantType::getValue).sorted().toList(),
				client.getScopes().stream().sorted().toList(), firstParty(client),
				client.getClientSettings().isRequireProofKey(), logoUri(client),
				client.getTokenSettings().getAccessTokenTimeToLive(),
				client.getTokenSettings().getRefreshTokenTimeToLive(), client.getClientIdIssuedAt(),
				ClientAssertions.keys(client));
	}
}
