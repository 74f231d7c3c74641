package dev.plinto.org;

import dev.plinto.session.ActiveOrganizationClaims;
import dev.plinto.token.AccessTokens;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * The organization claims of an access token, computed from the membership as it stands when the token is
 * issued: a removed member gets none, a changed role or role definition shows in the next token.
 */
@Component
final class MembershipClaims implements ActiveOrganizationClaims {

	private final OrganizationRepository organizations;

	private final OrganizationAccess access;

	MembershipClaims(OrganizationRepository organizations, OrganizationAccess access) {
		this.organizations = organizations;
		this.access = access;
	}

	@Override
	public Optional<AccessTokens.Organization> claims(String userId, String organizationId) {
		return organizations.findSlugAndRole(organizationId, userId)
			.map(m -> new AccessTokens.Organization(organizationId, m.slug(), m.role(),
					access.roleOrDenyAll(organizationId, m.role()).permissions()));
	}
}
