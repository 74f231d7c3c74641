package dev.plinto.org;

import dev.plinto.account.AccountDeletionHook;
import dev.plinto.audit.AuditEvent;
import dev.plinto.audit.AuditLog;
import dev.plinto.web.ApiException;
import dev.plinto.web.ClientInfo;
import dev.plinto.web.ErrorCode;
import java.util.ArrayList;
import java.util.List;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * An account's organizations when it is deleted: refused while the user is the last owner of an organization
 * ({@code last_owner}, naming them: an organization keeps at least one owner, as Clerk and Auth0 require too, so
 * the user transfers ownership or deletes the organization first); otherwise every membership ends, as if the user
 * had left, each with its {@code membership.deleted} event and audit entry. Organizations the user created stay,
 * with their creator unset; invitations addressed to the user's email stay with their organization.
 */
@Component
final class OrganizationsOnAccountDeletion implements AccountDeletionHook {

	private static final int PAGE = 100;

	private final OrganizationRepository organizations;

	private final AuditLog audit;

	private final ApplicationEventPublisher events;

	OrganizationsOnAccountDeletion(OrganizationRepository organizations, AuditLog audit,
			ApplicationEventPublisher events) {
		this.organizations = organizations;
		this.audit = audit;
		this.events = events;
	}

	@Override
	public void check(String userId) {
		List<String> alone = new ArrayList<>();
		for (OrganizationRepository.Joined joined : memberships(userId)) {
			if (Role.OWNER.equals(joined.role())
					&& organizations.countMembersWithRole(joined.organization().id(), Role.OWNER) <= 1) {
				alone.add(joined.organization().slug());
			}
		}
		if (!alone.isEmpty()) {
			throw new ApiException(ErrorCode.LAST_OWNER, "You are the last owner of " + String.join(", ", alone)
					+ ": make another member owner, or delete the organization, before deleting your account.");
		}
	}

	@Override
	public void delete(String userId, String sessionId, ClientInfo client) {
		for (OrganizationRepository.Joined joined : memberships(userId)) {
			String organizationId = joined.organization().id();
			organizations.lock(organizationId);
			Membership membership = organizations.findMembership(organizationId, userId).orElse(null);
			if (membership == null) {
				continue;
			}
			if (Role.OWNER.equals(membership.role())
					&& organizations.countMembersWithRole(organizationId, Role.OWNER) <= 1) {
				check(userId); // an owner left meanwhile: refuse, naming the organizations
			}
			organizations.deleteMembership(organizationId, userId);
			events.publishEvent(OrganizationEvent.of(OrganizationEvent.Kind.MEMBERSHIP_DELETED, membership));
			audit.recordForOrganization(AuditEvent.Type.MEMBER_LEFT, userId, sessionId, client, organizationId,
					"member " + userId + " (was " + membership.role() + "; account deleted)");
		}
	}

	private List<OrganizationRepository.Joined> memberships(String userId) {
		List<OrganizationRepository.Joined> all = new ArrayList<>();
		String after = null;
		while (true) {
			List<OrganizationRepository.Joined> page = organizations.findByMember(userId, after, PAGE);
			all.addAll(page);
			if (page.size() < PAGE) {
				return all;
			}
			after = page.get(page.size() - 1).organization().slug();
		}
	}
}
