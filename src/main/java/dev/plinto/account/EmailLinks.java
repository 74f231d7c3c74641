package dev.plinto.account;

import dev.plinto.account.OneTimeTokenRepository.OneTimeToken;
import dev.plinto.account.OneTimeTokenRepository.Purpose;
import dev.plinto.config.PlintoSettings;
import dev.plinto.crypto.SecureTokens;
import dev.plinto.mail.MailTemplates;
import dev.plinto.mail.Mailer;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Issues and redeems the single-use links mailed for email verification (24 h), password reset (30 min) and the
 * confirmation of a new email address (as long as verification).
 * Tokens carry 256 random bits, are stored only as SHA-256 hashes, expire, are spent atomically, and a new link
 * supersedes the older ones of the same purpose (OWASP Forgot Password Cheat Sheet, "URL tokens"). Mails carry
 * no text chosen by the requester (not even the sign-up name), so nobody can send their own words to an address
 * they do not own.
 */
@Component
// Not final: Spring subclasses it (CGLIB) so that ShedLock's lock wraps its @SchedulerLock job.
class EmailLinks {

	private final OneTimeTokenRepository tokens;

	private final Mailer mailer;

	private final MailTemplates templates;

	private final Clock clock;

	private final PlintoSettings settings;

	EmailLinks(OneTimeTokenRepository tokens, Mailer mailer, MailTemplates templates, Clock clock,
			PlintoSettings settings) {
		this.tokens = tokens;
		this.mailer = mailer;
		this.templates = templates;
		this.clock = clock;
		this.settings = settings;
	}

	/** Creates a verification link for the user's current email and queues the mail (caller's transaction). */
	void sendVerification(User user) {
		String link = create(user, Purpose.EMAIL_VERIFICATION, settings.emailVerificationTtl(),
				settings.emailVerificationUrl());
		mailer.enqueue(user.email(), templates.render("verify_email", link, settings.emailVerificationTtl()));
	}

	/** Creates a reset link and queues the mail (caller's transaction). */
	void sendPasswordReset(User user) {
		String link = create(user, Purpose.PASSWORD_RESET, settings.passwordResetTtl(), settings.passwordResetUrl());
		mailer.enqueue(user.email(), templates.render("reset_password", link, settings.passwordResetTtl()));
	}

	/**
	 * Creates the link that confirms a new address and queues its mail to that address (caller's transaction). The
	 * link is a verification link: it opens {@code PLINTO_EMAIL_VERIFICATION_URL}, and the same confirmation
	 * switches the address.
	 */
	void sendEmailChange(User user, String newEmail, String language, AccountMails mails) {
		String link = create(user.id(), newEmail, Purpose.EMAIL_CHANGE, settings.emailVerificationTtl(),
				settings.emailVerificationUrl());
		mails.emailChange(newEmail, link, settings.emailVerificationTtl(), language);
	}

	/** Invalidates the user's unused links of this purpose (caller's transaction). */
	void invalidate(String userId, Purpose purpose) {
		tokens.invalidateAll(userId, purpose, clock.instant());
	}

	/** Spends a valid, unexpired, unused token; empty if it is none of these. */
	Optional<OneTimeToken> redeem(String token, Purpose purpose) {
		if (token == null || token.isBlank()) {
			return Optional.empty();
		}
		String hash = SecureTokens.hash(token);
		Instant now = clock.instant();
		return tokens.find(hash, purpose)
			.filter(t -> t.usedAt() == null && now.isBefore(t.expiresAt()))
			.filter(t -> tokens.markUsed(hash, now));
	}

	/** A token that is currently redeemable, without spending it (to validate the new password first). */
	Optional<OneTimeToken> peek(String tokenHash, Purpose purpose) {
		Instant now = clock.instant();
		return tokens.find(tokenHash, purpose).filter(t -> t.usedAt() == null && now.isBefore(t.expiresAt()));
	}

	/** Deletes link tokens a day after they expired, hourly on one node. */
	@Scheduled(fixedDelay = 3_600_000, initialDelay = 300_000)
	@SchedulerLock(name = "email-link-cleanup", lockAtMostFor = "30m")
	void purgeExpired() {
		tokens.deleteExpired(clock.instant().minus(Duration.ofDays(1)));
	}

	private String create(User user, Purpose purpose, Duration ttl, URI base) {
		return create(user.id(), user.email(), purpose, ttl, base);
	}

	private String create(String userId, String email, Purpose purpose, Duration ttl, URI base) {
		Instant now = clock.instant();
		tokens.invalidateAll(userId, purpose, now);
		String secret = SecureTokens.newSecret();
		tokens.insert(new OneTimeToken(SecureTokens.hash(secret), purpose, userId, email, now, now.plus(ttl), null));
		return base + "?token=" + URLEncoder.encode(secret, StandardCharsets.UTF_8);
	}

}
