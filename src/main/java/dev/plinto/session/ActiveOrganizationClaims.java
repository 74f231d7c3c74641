package dev.plinto.session;

import dev.plinto.token.AccessTokens;
import java.util.Optional;

/**
 * Looks up, at the moment an access token is issued, the claims of a session's active organization from the
 * user's current membership; empty when the user no longer belongs to it. Implemented by the organization
 * feature, so that a removed member loses the claims and a changed role shows at the next refresh.
 */
public interface ActiveOrganizationClaims {

	Optional<AccessTokens.Organization> claims(String userId, String organizationId);
}
