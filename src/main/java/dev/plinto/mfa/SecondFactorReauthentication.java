package dev.plinto.mfa;

import dev.plinto.account.ReauthenticationFactor;
import dev.plinto.account.User;
import dev.plinto.web.ClientInfo;
import org.springframework.stereotype.Component;

/**
 * The second factor proven again before an account is deleted: a user with an authenticator app gives a current
 * code (spent like any code, so it is never accepted twice) or an unused recovery code. Passkey-only users
 * re-authenticate with the password alone: a WebAuthn assertion needs the browser ceremony the JSON call does not
 * run.
 */
@Component
final class SecondFactorReauthentication implements ReauthenticationFactor {

	private final MfaRepository repository;

	private final MfaService mfa;

	SecondFactorReauthentication(MfaRepository repository, MfaService mfa) {
		this.repository = repository;
		this.mfa = mfa;
	}

	@Override
	public boolean required(String userId) {
		return repository.findTotp(userId).filter(MfaRepository.TotpFactor::confirmed).isPresent();
	}

	@Override
	public boolean verify(User user, String code, String sessionId, ClientInfo client) {
		String trimmed = code.trim();
		return trimmed.matches("\\d{" + Totp.DIGITS + "}") ? mfa.verifyTotp(user, trimmed)
				: mfa.useRecoveryCode(user, trimmed, sessionId, client);
	}
}
