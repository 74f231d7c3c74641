package dev.plinto.session;

import java.util.List;

/**
 * The second factors a user can sign in with, as named in the {@code mfa_required} answer ({@code totp},
 * {@code recovery_code}, {@code passkey}); empty when the user has none. Implemented by the MFA feature.
 */
public interface SecondFactors {

	List<String> available(String userId);
}
