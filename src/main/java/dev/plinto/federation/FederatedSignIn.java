package dev.plinto.federation;

import dev.plinto.account.AccountService;
import dev.plinto.account.IdentityEvent;
import dev.plinto.account.User;
import dev.plinto.account.UserRepository;
import dev.plinto.audit.AuditEvent;
import dev.plinto.audit.AuditLog;
import dev.plinto.config.PlintoSettings;
import dev.plinto.crypto.PasswordHasher;
import dev.plinto.crypto.SecureTokens;
import dev.plinto.mfa.PasskeyService;
import dev.plinto.org.ConnectionRepository;
import dev.plinto.org.OrganizationConnection;
import dev.plinto.org.OrganizationService;
import dev.plinto.session.SessionService;
import dev.plinto.session.SessionStarted;
import dev.plinto.session.SignInFlow;
import dev.plinto.session.SignInFlowRepository;
import dev.plinto.session.SignInService;
import dev.plinto.session.SignInService.SignInResult;
import dev.plinto.session.TokenResponse;
import dev.plinto.throttle.RateLimiter;
import dev.plinto.web.ApiException;
import dev.plinto.web.ClientInfo;
import dev.plinto.web.ErrorCode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionOperations;

/**
 * The completion core of every sign-in through an identity provider (docs/federation.md): social providers, any
 * OpenID Connect or OAuth 2 provider, and organizations' OpenID Connect and SAML connections all end here with an
 * {@link ExternalIdentity} the protocol code has verified. From it, this class finds or creates the user, links the
 * identity, joins the connection's organization, and continues the stored sign-in flow like any first factor
 * ({@link SignInService#proceed}): a session, the second-factor step when the user has a factor, or the enrolment
 * step with {@code PLINTO_MFA=required}. The session's {@code amr} starts with {@code fed} (RFC 8176 §2: "federated
 * authentication"), followed by what the second step added.
 * <p>
 * <b>Linking rules</b> (OWASP Authentication Cheat Sheet and the account takeover the OAuth 2 Security BCP,
 * RFC 9700 §4.2, warns of through unverified attributes): a returning identity is found by provider and subject,
 * never by email. An identity seen for the first time links itself to an existing account with the same email only
 * when the provider verified the address <em>and</em> the account's address is verified too; the link is audited
 * ({@code identity.linked}, "automatic"). Otherwise, when an account has the address, the sign-in is refused with
 * {@code identity_not_linked}: the user signs in to the account another way and links the provider on the account
 * page ({@link #link}), so an attacker who controls an unverified address at some provider cannot take over the
 * account. Without an account, the first sign-in creates one (just-in-time, password-less) unless
 * {@code PLINTO_OAUTH_SIGN_UP=false}; an organization connection always may, since the organization chose it.
 * <p>
 * <b>Organizations.</b> An identity from a connection joins the connection's organization with the mapped role
 * ({@link OrganizationService#joinThroughConnection}), and the session the flow starts works in that organization:
 * its access tokens carry the organization's claims from the first one.
 */
@Service
public final class FederatedSignIn {

	/** How long a verified identity's flow stays usable, for the second factor (as {@link SignInService}'s). */
	static final Duration FLOW_LIFETIME = Duration.ofMinutes(5);

	/** The first entry of {@code amr} of a federated sign-in (RFC 8176 §2). */
	public static final String AMR_FEDERATED = "fed";

	private final SignInService signIn;

	private final SignInFlowRepository flows;

	private final AccountService accounts;

	private final UserRepository users;

	private final IdentityRepository identities;

	private final FederationFlowRepository federationFlows;

	private final OrganizationService organizations;

	private final ConnectionRepository connections;

	private final SessionService sessions;

	private final PasskeyService passkeys;

	private final AuditLog audit;

	private final ApplicationEventPublisher events;

	private final TransactionOperations tx;

	private final RateLimiter rateLimiter;

	private final Clock clock;

	private final PlintoSettings settings;

	FederatedSignIn(SignInService signIn, SignInFlowRepository flows, AccountService accounts, UserRepository users,
			IdentityRepository identities, FederationFlowRepository federationFlows, OrganizationService organizations,
			ConnectionRepository connections, SessionService sessions, PasskeyService passkeys, AuditLog audit, ApplicationEventPublisher events,
			TransactionOperations tx, RateLimiter rateLimiter, Clock clock, PlintoSettings settings) {
		this.signIn = signIn;
		this.flows = flows;
		this.accounts = accounts;
		this.users = users;
		this.identities = identities;
		this.federationFlows = federationFlows;
		this.organizations = organizations;
		this.connections = connections;
		this.sessions = sessions;
		this.passkeys = passkeys;
		this.audit = audit;
		this.events = events;
		this.tx = tx;
		this.rateLimiter = rateLimiter;
		this.clock = clock;
		this.settings = settings;
	}

	/**
	 * Signs in with a verified external identity: finds the linked user (or links by verified email, or creates the
	 * user), joins the connection's organization, and continues the flow. Takes a token of the per-IP sign-in
	 * bucket.
	 *
	 * @param type who receives the outcome: {@code BROWSER} for the hosted pages (put the tokens into cookies with
	 *     {@code pages.BrowserSessions}), {@code API} for an app's JSON call
	 * @return the session's tokens ({@link SignInService.Completed}), the second-factor step
	 *     ({@link SignInService.MfaRequired}) or the enrolment step ({@link SignInService.EnrollmentRequired})
	 * @throws ApiException {@code identity_not_linked} (409), {@code sso_sign_up_disabled} (403),
	 *     {@code identity_email_missing} (422), {@code email_taken} (409, an account was created for the address at
	 *     the same moment), {@code member_limit_reached} (409), {@code rate_limited} (429)
	 */
	public SignInResult signIn(ExternalIdentity identity, SignInFlow.Type type, ClientInfo client) {
		rateLimiter.consume(RateLimiter.Limit.SIGN_IN, client.ip());
		Instant now = clock.instant();
		SignInFlow flow = new SignInFlow(SecureTokens.newId("sia"), type, SignInFlow.Strategy.FEDERATION,
				SignInFlow.State.STARTED, null, List.of(), client.ip(), client.userAgent(), now,
				now.plus(FLOW_LIFETIME), null);
		List<String> amr = List.of(AMR_FEDERATED);
		String how = "federation " + identity.provider();
		Optional<LinkedIdentity> linked = identities.find(identity.provider(), identity.subject());
		if (linked.isPresent()) {
			User user = users.findById(linked.get().userId()).orElseThrow(() -> new ApiException(ErrorCode.SSO_FAILED,
					"The account of this identity no longer exists."));
			return tx.execute(status -> {
				identities.used(linked.get().id(), identity.email(), identity.emailVerified(),
						JdbcIdentityRepository.profileJson(identity.profile()), clock.instant());
				return continueFlow(flow, user, identity, amr, client, how);
			});
		}
		if (identity.email() == null) {
			signIn.count("identity_email_missing");
			throw new ApiException(ErrorCode.IDENTITY_EMAIL_MISSING,
					"The identity provider shared no email address, so no account can be created or linked.");
		}
		Optional<User> existing = users.findByAddress(identity.email());
		if (existing.isPresent()) {
			User user = existing.get();
			if (!identity.emailVerified() || !user.emailVerified()) {
				signIn.count("identity_not_linked");
				audit.record(AuditEvent.Type.SIGN_IN_FAILED, user.id(), null, client,
						how + ": not linked (" + (identity.emailVerified() ? "account email unverified"
								: "provider email unverified") + ")");
				throw new ApiException(ErrorCode.IDENTITY_NOT_LINKED,
						"An account with this email already exists; sign in to it another way, then link this "
								+ "provider on the account page.");
			}
			return tx.execute(status -> {
				insertLink(user, identity, client, null, "automatic: both emails verified");
				return continueFlow(flow, user, identity, amr, client, how);
			});
		}
		if (identity.connectionId() == null && !settings.federation().signUp()) {
			signIn.count("sso_sign_up_disabled");
			throw new ApiException(ErrorCode.SSO_SIGN_UP_DISABLED,
					"No account has this identity, and signing up through identity providers is switched off.");
		}
		return accounts.signUpFederated(identity.email(), identity.emailVerified(), identity.name(),
				identity.provider(), client, created -> {
					insertLink(created, identity, client, null, "sign-up");
					return continueFlow(flow, created, identity, amr, client, how + " sign-up");
				});
	}

	/**
	 * Links an external identity to a signed-in user (the account page's "link" button): refused with
	 * {@code identity_linked_elsewhere} when the identity signs in to another user; linking it again to the same
	 * user changes nothing. Audited as {@code identity.linked} and announced to webhooks.
	 */
	public LinkedIdentity link(String userId, ExternalIdentity identity, ClientInfo client) {
		User user = accounts.get(userId);
		Optional<LinkedIdentity> linked = identities.find(identity.provider(), identity.subject());
		if (linked.isPresent()) {
			if (!linked.get().userId().equals(userId)) {
				throw new ApiException(ErrorCode.IDENTITY_LINKED_ELSEWHERE,
						"This account at the provider already signs in to another user.");
			}
			return linked.get();
		}
		return tx.execute(status -> insertLink(user, identity, client, null, "from the account page"));
	}

	/** The identities linked to a user, oldest first. */
	public List<LinkedIdentity> identities(String userId) {
		return identities.findByUser(userId);
	}

	/**
	 * Unlinks an identity from its user: 404 {@code not_found} when the user has no such identity, 409
	 * {@code last_sign_in_method} when it is the user's last way to sign in (no password, no passkey and no other
	 * identity), since the account would be locked for good. Audited as {@code identity.unlinked} and announced to
	 * webhooks.
	 */
	public void unlink(String userId, String identityId, String sessionId, ClientInfo client) {
		tx.executeWithoutResult(status -> {
			User user = accounts.get(userId);
			List<LinkedIdentity> all = identities.findByUser(userId);
			LinkedIdentity target = all.stream()
				.filter(i -> i.id().equals(identityId))
				.findFirst()
				.orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND, "This account has no such linked identity."));
			boolean password = !PasswordHasher.NO_PASSWORD.equals(user.passwordHash());
			boolean otherWay = password || all.size() > 1 || !passkeys.findByUser(userId).isEmpty();
			if (!otherWay) {
				throw new ApiException(ErrorCode.LAST_SIGN_IN_METHOD,
						"This is the account's last way to sign in; set a password, add a passkey or link another "
								+ "provider first.");
			}
			identities.delete(userId, identityId);
			audit.record(AuditEvent.Type.IDENTITY_UNLINKED, userId, sessionId, client, target.provider());
			events.publishEvent(new IdentityEvent(IdentityEvent.Kind.UNLINKED, target.id(), userId, target.provider(),
					target.subject(), target.email(), target.emailVerified(), clock.instant()));
		});
	}

	/**
	 * When a session starts from a flow that signed in through an organization connection, the session works in
	 * that organization (synchronously, in the session's transaction).
	 */
	@EventListener
	void sessionStarted(SessionStarted event) {
		String flowId = event.session().flowId();
		if (flowId == null) {
			return;
		}
		federationFlows.takeSignInOrganization(flowId)
			.ifPresent(organizationId -> sessions.switchOrganization(event.session().userId(), event.session().id(),
					organizationId, new ClientInfo(event.session().ip(), event.session().userAgent())));
	}

	private LinkedIdentity insertLink(User user, ExternalIdentity identity, ClientInfo client, String sessionId,
			String detail) {
		Instant now = clock.instant();
		LinkedIdentity link = new LinkedIdentity(SecureTokens.newId("idn"), user.id(), identity.provider(),
				identity.subject(), identity.email(), identity.emailVerified(), identity.profile(), now, now);
		try {
			identities.insert(link);
		}
		catch (DuplicateKeyException e) {
			throw new ApiException(ErrorCode.IDENTITY_LINKED_ELSEWHERE,
					"This account at the provider already signs in to another user.");
		}
		audit.record(AuditEvent.Type.IDENTITY_LINKED, user.id(), sessionId, client,
				identity.provider() + " (" + detail + ")");
		events.publishEvent(new IdentityEvent(IdentityEvent.Kind.LINKED, link.id(), user.id(), link.provider(),
				link.subject(), link.email(), link.emailVerified(), now));
		return link;
	}

	/** Joins the connection's organization, then continues the flow like any first factor. */
	private SignInResult continueFlow(SignInFlow flow, User user, ExternalIdentity identity, List<String> amr,
			ClientInfo client, String how) {
		if (settings.emailVerification() == PlintoSettings.EmailVerification.REQUIRED && !user.emailVerified()) {
			// PLINTO_EMAIL_VERIFICATION=required holds for every first factor: an address neither the provider nor
			// Plinto confirmed signs in nowhere (a just-created account rolls back with this refusal), as a password
			// sign-in with an unconfirmed address is refused (OWASP Authentication Cheat Sheet, account verification).
			signIn.count("email_not_verified");
			throw new ApiException(ErrorCode.EMAIL_NOT_VERIFIED, "The identity provider did not confirm this email "
					+ "address, and this server signs in confirmed addresses only: confirm it at the provider, or sign "
					+ "up with a password and confirm it by the link Plinto sends.");
		}
		SignInFlow own = flow.moveTo(SignInFlow.State.STARTED, user.id(), List.of(), flow.expiresAt());
		flows.insert(own);
		String organizationId = null;
		if (identity.connectionId() != null) {
			organizationId = connections.findById(identity.connectionId())
				.map(OrganizationConnection::organizationId)
				.orElseThrow(() -> new ApiException(ErrorCode.SSO_FAILED, "This connection no longer exists."));
			organizations.joinThroughConnection(organizationId, user.id(), identity.organizationRole(),
					identity.connectionId(), client);
			federationFlows.insertSignInOrganization(own.id(), organizationId, own.expiresAt());
		}
		SignInResult result = signIn.proceed(own, user, amr, client, how, ErrorCode.INVALID_SSO_FLOW);
		if (organizationId != null && result instanceof SignInService.Completed completed) {
			// the first access token was signed before the session's organization was set: sign it again
			TokenResponse t = completed.tokens();
			return sessions.sessionToken(user.id(), t.sessionId(), settings.accessTokenTtl())
				.<SignInResult>map(issued -> new SignInService.Completed(new TokenResponse(issued.token(),
						t.tokenType(), issued.expiresIn(), t.refreshToken(), t.sessionId(), t.user())))
				.orElse(result);
		}
		return result;
	}
}
