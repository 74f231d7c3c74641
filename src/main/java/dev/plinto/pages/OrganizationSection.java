package dev.plinto.pages;

import dev.plinto.account.AccountService;
import dev.plinto.org.InvitationService;
import dev.plinto.org.OrganizationService;
import dev.plinto.org.Role;
import dev.plinto.session.Session;
import dev.plinto.session.SessionService;
import dev.plinto.web.Caller;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Objects;
import org.springframework.stereotype.Component;

/**
 * Builds the account page's organizations section for a signed-in browser: the user's organizations with their role
 * and the one active in this browser's session, and the invitations pending for the user's verified address.
 */
@Component
final class OrganizationSection {

	/** How many organizations the section lists (by slug); the JSON API pages through all of them. */
	static final int SHOWN = 100;

	private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
		.withZone(ZoneOffset.UTC);

	private final OrganizationService organizations;

	private final InvitationService invitations;

	private final SessionService sessions;

	private final AccountService accounts;

	OrganizationSection(OrganizationService organizations, InvitationService invitations, SessionService sessions,
			AccountService accounts) {
		this.organizations = organizations;
		this.invitations = invitations;
		this.sessions = sessions;
		this.accounts = accounts;
	}

	/** The section with an empty create form. */
	AccountOrganizations of(Caller caller, PageContext ctx) {
		return of(caller, ctx, FormState.empty());
	}

	/** The section with the create form (or the section's alert) in the given state. */
	AccountOrganizations of(Caller caller, PageContext ctx, FormState form) {
		String active = sessions.live(caller.userId())
			.stream()
			.filter(s -> s.id().equals(caller.sessionId()))
			.map(Session::activeOrganizationId)
			.filter(Objects::nonNull)
			.findFirst()
			.orElse(null);
		List<AccountOrganizations.Row> rows = organizations.mine(caller.userId(), null, SHOWN)
			.stream()
			.map(v -> new AccountOrganizations.Row(v.organization().id(), v.organization().name(),
					v.organization().slug(), roleName(ctx, v.role().key(), v.role().name()),
					v.organization().id().equals(active)))
			.toList();
		List<AccountOrganizations.PendingInvitation> pending = invitations.pendingFor(caller.userId())
			.stream()
			.map(p -> new AccountOrganizations.PendingInvitation(p.id(), p.organizationName(),
					roleName(ctx, p.role(), p.role()), p.inviter(), MINUTE.format(p.expiresAt())))
			.toList();
		return new AccountOrganizations(rows, pending, accounts.get(caller.userId()).emailVerified(), form);
	}

	/** A built-in role in the page's language; a custom role by its own name. */
	static String roleName(PageContext ctx, String key, String customName) {
		return Role.isBuiltIn(key) ? ctx.t("org.role." + key) : customName;
	}
}
