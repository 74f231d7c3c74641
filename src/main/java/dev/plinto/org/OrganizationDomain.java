package dev.plinto.org;

import java.time.Instant;

/**
 * An email domain an organization claims (docs/federation.md, "Domains"). It routes users to {@code connectionId}
 * only once verified ({@code verifiedAt} set, {@code verifiedBy} {@code dns} or {@code admin}); a domain can be
 * verified for one organization at a time. With {@code passwordsDisabled}, users of a verified domain sign in through
 * the connection only.
 */
public record OrganizationDomain(String organizationId, String domain, String connectionId, String verificationToken,
		Instant verifiedAt, String verifiedBy, boolean passwordsDisabled, Instant createdAt) {

	public boolean verified() {
		return verifiedAt != null;
	}
}
