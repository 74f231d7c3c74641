package dev.plinto.session;

import dev.plinto.account.AccountService;
import dev.plinto.account.EmailAddress;
import dev.plinto.account.User;
import dev.plinto.account.UserRepository;
import dev.plinto.audit.AuditEvent;
import dev.plinto.audit.AuditLog;
import dev.plinto.config.LiveSettings;
import dev.plinto.config.PlintoSettings;
import dev.plinto.config.PlintoSettings.SignInMethod;
import dev.plinto.crypto.SecureTokens;
import dev.plinto.mail.Mailer;
import dev.plinto.session.EmailChallengeRepository.EmailChallenge;
import dev.plinto.session.SignInService.SignInResult;
import dev.plinto.throttle.RateLimiter;
import dev.plinto.throttle.SignInLockout;
import dev.plinto.web.ApiException;
import dev.plinto.web.ClientInfo;
import dev.plinto.web.ErrorCode;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionOperations;

/**
 * The emailed first factors: a six-digit code ({@code EMAIL_CODE}) and a single-use link ({@code EMAIL_LINK}), two
 * strategies of the stored sign-in flow that end like a password sign-in ({@link SignInService#proceed}: a session,
 * the second-factor step, or the enrolment step).
 * <p>
 * <b>Code.</b> Six random digits, valid for {@link #CODE_LIFETIME} and {@link #CODE_ATTEMPTS} tries on the flow
 * that mailed them, spent by the sign-in they complete, and stored only as a SHA-256 hash bound to the flow id
 * (NIST SP 800-63B §5.1.3 "Out-of-Band Devices": a secret sent to the address, short-lived, single use, with
 * limited attempts). Each try also counts toward the account's lockout ({@link SignInLockout}) before it is
 * checked, exactly like a password guess, so requesting new codes does not give an attacker more guesses: with the
 * defaults, ten wrong codes lock the address whatever the number of flows.
 * <p>
 * <b>Link.</b> A 256-bit token in a link to the hosted page {@link #LINK_PATH}, valid for {@link #LINK_LIFETIME},
 * stored as a SHA-256 hash on the flow (OWASP Forgot Password Cheat Sheet, "URL tokens"). When the link was asked
 * for from the hosted pages, the flow also holds the hash of a random value the page put into that browser's
 * {@code HttpOnly} cookie: the browser holding it completes the sign-in by opening the link, any other browser
 * (or a mail scanner fetching the link) only gets a page with a confirmation button, so a prefetch changes
 * nothing and the session always lands in the browser that opened the link.
 * <p>
 * <b>No account enumeration</b> (OWASP Authentication Cheat Sheet, "Authentication and Error Messages"): a request
 * for an unknown address is answered exactly like one for a known address (202 with a flow id), stores the same
 * rows and composes the same mail; it only does not queue the mail (unless {@code PLINTO_EMAIL_SIGN_UP=true}, when
 * the mail is sent and proves the new address). Requests are limited per client IP and per recipient address
 * ({@code PLINTO_RATE_LIMIT_SIGN_IN_MAIL}) and refused while the address is locked out, for known and unknown
 * addresses alike.
 */
@Service
public final class EmailSignInService {

	public static final Duration CODE_LIFETIME = Duration.ofMinutes(10);

	static final int CODE_ATTEMPTS = 5;

	public static final Duration LINK_LIFETIME = Duration.ofMinutes(15);

	/** The hosted page a sign-in link opens; the token is its {@code token} query parameter. */
	public static final String LINK_PATH = "/sign-in/email-link";

	/** The prefix of link tokens, so they cannot be mistaken for the flow's other tokens. */
	static final String LINK_TOKEN_PREFIX = "eml_";

	private static final SecureRandom RANDOM = new SecureRandom();

	/** Where the browser that opens a link stands with it. */
	public enum LinkState {
		/** The browser that asked for the link: it may complete the sign-in at once. */
		SAME_BROWSER,
		/** Another browser, or a link asked for by API: the user must confirm with a button. */
		OTHER_BROWSER,
		/** Unknown, expired, already used, or the method is switched off. */
		DEAD
	}

	/** The answer to a mail request: the flow to present the code to, and until when it is valid. */
	public record EmailSent(String flowId, Instant expiresAt) {
	}

	private final SignInService signIn;

	private final AccountService accounts;

	private final UserRepository users;

	private final SignInFlowRepository flows;

	private final EmailChallengeRepository challenges;

	private final SignInMails mails;

	private final Mailer mailer;

	private final RateLimiter rateLimiter;

	private final SignInLockout lockout;

	private final AuditLog audit;

	private final TransactionOperations tx;

	private final Clock clock;

	private final LiveSettings settings;

	EmailSignInService(SignInService signIn, AccountService accounts, UserRepository users,
			SignInFlowRepository flows, EmailChallengeRepository challenges, SignInMails mails, Mailer mailer,
			RateLimiter rateLimiter, SignInLockout lockout, AuditLog audit, TransactionOperations tx, Clock clock,
			LiveSettings settings) {
		this.signIn = signIn;
		this.accounts = accounts;
		this.users = users;
		this.flows = flows;
		this.challenges = challenges;
		this.mails = mails;
		this.mailer = mailer;
		this.rateLimiter = rateLimiter;
		this.lockout = lockout;
		this.audit = audit;
		this.tx = tx;
		this.clock = clock;
		this.settings = settings;
	}

	/**
	 * Mails a sign-in code to the address (if it has an account, or may sign up) and stores the flow it completes.
	 *
	 * @param language a language code or {@code Accept-Language} value for the mail
	 */
	public EmailSent sendCode(String rawEmail, String language, SignInFlow.Type type, ClientInfo client) {
		signIn.requireMethod(SignInMethod.EMAIL_CODE);
		Recipient to = recipient(rawEmail, client);
		String code = "%06d".formatted(RANDOM.nextInt(1_000_000));
		Instant now = clock.instant();
		SignInFlow flow = new SignInFlow(SecureTokens.newId("sia"), type, SignInFlow.Strategy.EMAIL_CODE,
				SignInFlow.State.STARTED, to.userId(), List.of(), client.ip(), client.userAgent(), now,
				now.plus(CODE_LIFETIME), null);
		SignInMails.Mail mail = mails.code(language, code, CODE_LIFETIME);
		tx.executeWithoutResult(status -> {
			flows.insert(flow);
			challenges.insert(new EmailChallenge(flow.id(), to.email(), codeHash(flow.id(), code), 0, null));
			send(to, mail);
		});
		return new EmailSent(flow.id(), flow.expiresAt());
	}

	/**
	 * Checks a code against its flow and, when it is right, ends the first factor like a password would. A wrong,
	 * expired or used code, or an unknown flow, is 401 {@code invalid_email_code}; the fifth wrong code ends the
	 * flow.
	 */
	public SignInResult verifyCode(String flowId, String code, ClientInfo client) {
		signIn.requireMethod(SignInMethod.EMAIL_CODE);
		rateLimiter.consume(RateLimiter.Limit.SIGN_IN, client.ip());
		Optional<SignInFlow> live = flowId == null || flowId.length() > 40 ? Optional.empty()
				: signIn.live(flowId, SignInFlow.State.STARTED).filter(f -> f.strategy() == SignInFlow.Strategy.EMAIL_CODE);
		Optional<EmailChallenge> challenge = live.flatMap(f -> challenges.find(f.id()));
		if (challenge.isEmpty()) {
			signIn.count("invalid_email_code");
			throw invalidCode();
		}
		SignInFlow flow = live.get();
		EmailChallenge c = challenge.get();
		Optional<Duration> locked = lockout.tryAttempt(c.email());
		if (locked.isPresent()) {
			signIn.count("locked");
			audit.record(AuditEvent.Type.SIGN_IN_LOCKED, flow.userId(), null, client,
					"attempt refused: account temporarily locked after repeated failures");
			throw ApiException.rateLimited(locked.get());
		}
		if (!challenges.countAttempt(flow.id(), CODE_ATTEMPTS)) {
			signIn.fail(flow, SignInFlow.State.STARTED);
			signIn.count("invalid_email_code");
			throw invalidCode();
		}
		String presented = code == null ? "" : code.strip();
		boolean right = presented.matches("\\d{6}")
				&& SecureTokens.constantTimeEquals(codeHash(flow.id(), presented), c.codeHash());
		Optional<User> user = flow.userId() == null ? Optional.empty() : users.findById(flow.userId());
		if (!right || (user.isEmpty() && !settings.current().signIn().emailSignUp())) {
			if (c.attempts() + 1 >= CODE_ATTEMPTS) {
				signIn.fail(flow, SignInFlow.State.STARTED);
			}
			signIn.count("invalid_email_code");
			audit.record(AuditEvent.Type.SIGN_IN_FAILED, flow.userId(), null, client,
					user.isPresent() ? "wrong email code" : "unknown account");
			throw invalidCode();
		}
		return firstFactorDone(flow, c.email(), user, List.of("otp"), client, "email code",
				ErrorCode.INVALID_EMAIL_CODE);
	}

	/**
	 * Mails a single-use sign-in link to the address (if it has an account, or may sign up).
	 *
	 * @param browserHash the SHA-256 hash of the random value the requesting page put into its browser's cookie,
	 *     or null (API callers): then every browser that opens the link asks for confirmation
	 * @param redirectUrl where the page sends the browser afterwards, kept only if the pages allow it
	 */
	public EmailSent sendLink(String rawEmail, String language, String redirectUrl, String browserHash,
			SignInFlow.Type type, ClientInfo client) {
		signIn.requireMethod(SignInMethod.EMAIL_LINK);
		Recipient to = recipient(rawEmail, client);
		String token = LINK_TOKEN_PREFIX + SecureTokens.newSecret();
		Instant now = clock.instant();
		SignInFlow flow = new SignInFlow(SecureTokens.newId("sia"), type, SignInFlow.Strategy.EMAIL_LINK,
				SignInFlow.State.STARTED, to.userId(), List.of(), client.ip(), client.userAgent(), now,
				now.plus(LINK_LIFETIME), null);
		SignInMails.Mail mail = mails.link(language, token, redirectUrl, LINK_LIFETIME);
		tx.executeWithoutResult(status -> {
			flows.insert(flow);
			flows.transition(flow, SignInFlow.State.STARTED, SecureTokens.hash(token));
			challenges.insert(new EmailChallenge(flow.id(), to.email(), null, 0, browserHash));
			send(to, mail);
		});
		return new EmailSent(flow.id(), flow.expiresAt());
	}

	/**
	 * Where a browser stands with a link, without changing anything: the same browser when the hash of its cookie
	 * value ({@code browserSecret}, may be null) is the one stored with the flow, compared in constant time.
	 */
	public LinkState linkState(String token, String browserSecret) {
		if (!settings.current().signIn().enabled(SignInMethod.EMAIL_LINK)) {
			return LinkState.DEAD;
		}
		Optional<EmailChallenge> challenge = liveLink(token).flatMap(f -> challenges.find(f.id()));
		if (challenge.isEmpty()) {
			return LinkState.DEAD;
		}
		String bound = challenge.get().browserHash();
		boolean same = bound != null && browserSecret != null && !browserSecret.isEmpty()
				&& SecureTokens.constantTimeEquals(SecureTokens.hash(browserSecret), bound);
		return same ? LinkState.SAME_BROWSER : LinkState.OTHER_BROWSER;
	}

	/**
	 * Completes the first factor with a link's token (once: the flow leaves {@code STARTED} and the token's hash is
	 * replaced); 400 {@code invalid_sign_in_link} when it is unknown, expired or used.
	 */
	public SignInResult completeLink(String token, ClientInfo client) {
		signIn.requireMethod(SignInMethod.EMAIL_LINK);
		rateLimiter.consume(RateLimiter.Limit.SIGN_IN, client.ip());
		Optional<SignInFlow> live = liveLink(token);
		Optional<EmailChallenge> challenge = live.flatMap(f -> challenges.find(f.id()));
		Optional<User> user = live.map(SignInFlow::userId).flatMap(users::findById);
		if (challenge.isEmpty() || (user.isEmpty() && !settings.current().signIn().emailSignUp())) {
			signIn.count("invalid_sign_in_link");
			throw new ApiException(ErrorCode.INVALID_SIGN_IN_LINK,
					"This sign-in link is invalid, expired or already used; ask for a new one.");
		}
		return firstFactorDone(live.get(), challenge.get().email(), user, List.of("otp"), client, "email link",
				ErrorCode.INVALID_SIGN_IN_LINK);
	}

	private Optional<SignInFlow> liveLink(String token) {
		if (token == null || !token.startsWith(LINK_TOKEN_PREFIX) || token.length() > 200) {
			return Optional.empty();
		}
		Instant now = clock.instant();
		return flows.findByTokenHash(SecureTokens.hash(token))
			.filter(f -> f.strategy() == SignInFlow.Strategy.EMAIL_LINK && f.state() == SignInFlow.State.STARTED
					&& f.expiresAt().isAfter(now));
	}

	/**
	 * The mail proved the address: the account's email becomes verified, or (with {@code PLINTO_EMAIL_SIGN_UP}) the
	 * account is created with it, and the flow goes on like any first factor.
	 */
	private SignInResult firstFactorDone(SignInFlow flow, String email, Optional<User> user, List<String> amr,
			ClientInfo client, String how, ErrorCode lostRace) {
		// an account created for this address since the mail was sent (e.g. by a password sign-up) is the one
		Optional<User> account = user.isPresent() ? user : users.findByAddress(email);
		if (account.isPresent()) {
			User proven = accounts.emailProven(account.get(), client);
			SignInFlow own = flow.moveTo(SignInFlow.State.STARTED, proven.id(), List.of(), flow.expiresAt());
			return signIn.proceed(own, proven, amr, client, how, lostRace);
		}
		return accounts.signUpWithVerifiedEmail(email, client, created -> {
			SignInFlow own = flow.moveTo(SignInFlow.State.STARTED, created.id(), List.of(), flow.expiresAt());
			return signIn.proceed(own, created, amr, client, how + " sign-up", lostRace);
		});
	}

	/** Who a mail goes to: the account's address, or the canonical form of an address without one. */
	private record Recipient(String email, String userId, boolean send) {
	}

	private Recipient recipient(String rawEmail, ClientInfo client) {
		rateLimiter.consume(RateLimiter.Limit.SIGN_IN_MAIL, client.ip());
		Optional<User> user = users.findByAddress(rawEmail);
		String email = user.map(User::email).orElseGet(() -> EmailAddress.canonical("email", rawEmail));
		rateLimiter.consume(RateLimiter.Limit.SIGN_IN_MAIL, "to:" + SecureTokens.hash(email));
		Optional<Duration> locked = lockout.lockedFor(email);
		if (locked.isPresent()) {
			signIn.count("locked");
			throw ApiException.rateLimited(locked.get());
		}
		return new Recipient(email, user.map(User::id).orElse(null),
				user.isPresent() || settings.current().signIn().emailSignUp());
	}

	private void send(Recipient to, SignInMails.Mail mail) {
		if (to.send()) {
			mailer.enqueue(to.email(), mail.subject(), mail.body());
		}
	}

	private static String codeHash(String flowId, String code) {
		return SecureTokens.hash("email-code:" + flowId + ":" + code);
	}

	private static ApiException invalidCode() {
		return new ApiException(ErrorCode.INVALID_EMAIL_CODE,
				"The code is wrong, expired or already used; check the newest email or ask for a new code.");
	}
}
