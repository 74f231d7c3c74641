package dev.plinto.pages;

import java.util.List;

/**
 * What the account page's organizations section shows ({@code fragments/account-organizations.jte}); part of the
 * stable template contract.
 *
 * @param organizations the user's organizations by slug (the first {@value OrganizationSection#SHOWN})
 * @param invitations the invitations pending for the user's verified email address, newest first
 * @param emailVerified whether the user's address is verified; invitations are listed only then
 * @param form the create form's values and problems (fields {@code org-name}, {@code org-slug}) and, as its
 * alert, the sentence of a refused change (e.g. leaving as the last owner)
 */
public record AccountOrganizations(List<Row> organizations, List<PendingInvitation> invitations,
		boolean emailVerified, FormState form) {

	/**
	 * One organization of the user.
	 *
	 * @param id the organization's id, posted as {@code organization_id}
	 * @param name its name
	 * @param slug its slug
	 * @param role the user's role in it, as a name in the page's language
	 * @param active whether it is the active organization of this browser's session
	 */
	public record Row(String id, String name, String slug, String role, boolean active) {
	}

	/**
	 * One invitation waiting for the user.
	 *
	 * @param id the invitation's id, posted as {@code invitation_id}
	 * @param organizationName the organization's name
	 * @param role the role offered, as a name in the page's language
	 * @param inviter who invited ("name (email)" or the email), or null
	 * @param expires until when it can be accepted, ISO-8601 UTC to the minute
	 */
	public record PendingInvitation(String id, String organizationName, String role, String inviter,
			String expires) {
	}

	/** Whether the active organization of this session is one of the listed ones. */
	public boolean anyActive() {
		return organizations.stream().anyMatch(Row::active);
	}
}
