package dev.plinto.admin;

import dev.plinto.pages.PageContext;
import dev.plinto.web.ApiException;
import dev.plinto.web.Caller;
import dev.plinto.web.Page;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.ModelAndView;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The dashboard's organizations ({@code /admin/organizations}): search by a part of the name or slug and create an
 * organization (with or without a first owner), and an organization's page with its profile, public and private
 * metadata, members and their roles, open invitations and newest audit events, and the actions edit (name and
 * metadata), add a member (by email address or user id, with a role), change a member's role, remove a member,
 * invite an email address, revoke an invitation and delete the organization (which needs a recent sign-in,
 * {@link AdminPageRoutes#RECENT_SIGN_IN}).
 * Every action is a call of {@link AdminOrganizations}, the service of the Backend API's organization endpoints, with
 * the administrator's user id as the audit events' actor, so the rules (the last owner, roles of the organization,
 * tenant checks) and the webhook events are the Backend API's; each answers {@code 303} back to the page
 * (post/redirect/get), whose notice names what was done.
 */
@Controller
@Hidden
final class AdminOrganizationsPage {

	/** The notices an organization's page shows after an action ({@code ?done=}); anything else shows none. */
	static final List<String> NOTICES = List.of("created", "saved", "member_added", "role_changed", "member_removed",
			"invited", "invitation_revoked");

	static final int PAGE = 25;

	/** The bound of each metadata object ({@code org.Metadata}), as the refusal names it; text, so not "8,192". */
	private static final String METADATA_MAX_BYTES = "8192";

	private static final int EVENTS_SHOWN = 20;

	/** Members per page of an organization's page; {@code ?members=} carries the position of the next ones. */
	static final int MEMBERS_SHOWN = 100;

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
	};

	private final AdminOrganizations organizations;

	private final DashboardAuditSearch audit;

	private final AdminPageFrame frame;

	AdminOrganizationsPage(AdminOrganizations organizations, DashboardAuditSearch audit, AdminPageFrame frame) {
		this.organizations = organizations;
		this.audit = audit;
		this.frame = frame;
	}

	@GetMapping(AdminPageRoutes.ORGANIZATIONS)
	ModelAndView search(@RequestParam(defaultValue = "") String q, @RequestParam(required = false) String cursor,
			@RequestParam(defaultValue = "") String deleted, Caller caller, HttpServletRequest request,
			HttpServletResponse response) {
		PageContext ctx = frame.context(request, response);
		String query = q.strip();
		if (query.length() > 200) {
			query = query.substring(0, 200);
		}
		String filter = query.isEmpty() ? null : query;
		Page<AdminOrganizations.AdminOrganization> found;
		try {
			found = organizations.search(filter, cursor, PAGE);
		}
		catch (ApiException e) {
			found = organizations.search(filter, null, PAGE);
		}
		String next = found.nextCursor() == null ? null
				: AdminPageRoutes.ORGANIZATIONS + "?q=" + URLEncoder.encode(query, StandardCharsets.UTF_8)
						+ "&cursor=" + URLEncoder.encode(found.nextCursor(), StandardCharsets.UTF_8);
		return list(caller, ctx, HttpStatus.OK, query, found, next,
				deleted.equals("1") ? ctx.t("admin.organizations.done.deleted") : null, null,
				AdminPageViews.OrganizationForm.EMPTY);
	}

	/**
	 * Creates an organization from the list page's form: {@code name}, {@code slug} (blank: derived from the name)
	 * and {@code owner} (blank: none; else the first owner, by email address or user id), as the Backend API's
	 * create does. Answers 303 to the new organization's page; a refusal shows the list again with what was typed.
	 */
	@PostMapping(path = AdminPageRoutes.ORGANIZATIONS, consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	Object create(@RequestParam(defaultValue = "") String name, @RequestParam(defaultValue = "") String slug,
			@RequestParam(defaultValue = "") String owner, Caller caller, HttpServletRequest request,
			HttpServletResponse response) {
		AdminPageViews.OrganizationForm typed = new AdminPageViews.OrganizationForm(name, slug, owner);
		String trimmed = name.strip();
		if (!validName(trimmed)) {
			PageContext ctx = frame.context(request, response);
			return refusedCreate(caller, ctx, HttpStatus.BAD_REQUEST, ctx.t("admin.organizations.name_invalid"),
					typed);
		}
		AdminOrganizations.AdminOrganization created;
		try {
			String ownerId = owner.isBlank() ? null : organizations.userId(owner);
			created = organizations.create(actor(caller), trimmed, slug.isBlank() ? null : slug.strip(), null, null,
					ownerId);
		}
		catch (ApiException e) {
			PageContext ctx = frame.context(request, response);
			return refusedCreate(caller, ctx, e.code().status(), e.getMessage(), typed);
		}
		return back(created.id(), "created");
	}

	private ModelAndView refusedCreate(Caller caller, PageContext ctx, HttpStatusCode status, String alert,
			AdminPageViews.OrganizationForm typed) {
		Page<AdminOrganizations.AdminOrganization> found = organizations.search(null, null, PAGE);
		String next = found.nextCursor() == null ? null
				: AdminPageRoutes.ORGANIZATIONS + "?cursor=" + URLEncoder.encode(found.nextCursor(),
						StandardCharsets.UTF_8);
		return list(caller, ctx, status, "", found, next, null, alert, typed);
	}

	private ModelAndView list(Caller caller, PageContext ctx, HttpStatusCode status, String query,
			Page<AdminOrganizations.AdminOrganization> found, String next, String notice, String alert,
			AdminPageViews.OrganizationForm form) {
		return frame.view(caller, ctx, AdminPageRoutes.ORGANIZATIONS, "organizations", status, "query", query,
				"organizations", found.data(), "next", next, "notice", notice, "alert", alert, "form", form);
	}

	@GetMapping(AdminPageRoutes.ORGANIZATIONS + "/{id}")
	ModelAndView organization(@PathVariable String id, @RequestParam(defaultValue = "") String done,
			@RequestParam(name = "members", required = false) String membersCursor, Caller caller,
			HttpServletRequest request, HttpServletResponse response) {
		PageContext ctx = frame.context(request, response);
		return detail(caller, ctx, id, HttpStatus.OK,
				NOTICES.contains(done) ? ctx.t("admin.organizations.done." + done) : null, null, null, membersCursor,
				null);
	}

	/**
	 * Changes the name and replaces both metadata objects with the JSON objects typed in the form (each at most
	 * 8 KiB); a text that is not one JSON object shows the page again with what was typed and changes nothing.
	 */
	@PostMapping(path = AdminPageRoutes.ORGANIZATIONS + "/{id}/edit",
			consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	Object edit(@PathVariable String id, @RequestParam(defaultValue = "") String name,
			@RequestParam(name = "public_metadata", defaultValue = "") String publicText,
			@RequestParam(name = "private_metadata", defaultValue = "") String privateText, Caller caller,
			HttpServletRequest request, HttpServletResponse response) {
		Typed typed = new Typed(name, publicText, privateText);
		Map<String, Object> publicMetadata = object(publicText);
		Map<String, Object> privateMetadata = object(privateText);
		if (publicMetadata == null || privateMetadata == null) {
			PageContext ctx = frame.context(request, response);
			return detail(caller, ctx, id, HttpStatus.BAD_REQUEST, null,
					ctx.t("admin.organizations.metadata_invalid"), typed);
		}
		String trimmed = name.strip();
		if (!validName(trimmed)) {
			PageContext ctx = frame.context(request, response);
			return detail(caller, ctx, id, HttpStatus.BAD_REQUEST, null, ctx.t("admin.organizations.name_invalid"),
					typed);
		}
		try {
			organizations.update(actor(caller), id, trimmed, null, publicMetadata, privateMetadata);
		}
		catch (ApiException e) {
			PageContext ctx = frame.context(request, response);
			String alert = e.code() == dev.plinto.web.ErrorCode.METADATA_TOO_LARGE
					? ctx.t("admin.organizations.metadata_too_large", METADATA_MAX_BYTES) : e.getMessage();
			return detail(caller, ctx, id, e.code().status(), null, alert, typed);
		}
		return back(id, "saved");
	}

	/**
	 * Adds an existing account as a member with a role: {@code member} names it by email address or user id. The
	 * Backend API's add, so any role of the organization, {@code owner} included, and the member limit applies.
	 */
	@PostMapping(path = AdminPageRoutes.ORGANIZATIONS + "/{id}/members",
			consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	Object addMember(@PathVariable String id, @RequestParam(defaultValue = "") String member,
			@RequestParam(defaultValue = "") String role, Caller caller, HttpServletRequest request,
			HttpServletResponse response) {
		AdminPageViews.MembershipForms typed = new AdminPageViews.MembershipForms(member, role, "",
				AdminPageViews.MembershipForms.EMPTY.inviteeRole());
		if (member.isBlank()) {
			PageContext ctx = frame.context(request, response);
			return detail(caller, ctx, id, HttpStatus.BAD_REQUEST, null, ctx.t("admin.organizations.member_missing"),
					null, null, typed);
		}
		return act(caller, id, "member_added", request, response, typed,
				() -> organizations.addMember(actor(caller), id, organizations.userId(member), role));
	}

	/** Invites an email address with a role and mails the link, as the Backend API's invitation does. */
	@PostMapping(path = AdminPageRoutes.ORGANIZATIONS + "/{id}/invitations",
			consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	Object invite(@PathVariable String id, @RequestParam(defaultValue = "") String email,
			@RequestParam(defaultValue = "") String role, Caller caller, HttpServletRequest request,
			HttpServletResponse response) {
		AdminPageViews.MembershipForms typed = new AdminPageViews.MembershipForms("",
				AdminPageViews.MembershipForms.EMPTY.memberRole(), email, role);
		return act(caller, id, "invited", request, response, typed,
				() -> organizations.invite(actor(caller), id, email, role));
	}

	@PostMapping(path = AdminPageRoutes.ORGANIZATIONS + "/{id}/members/{userId}/role",
			consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	Object changeRole(@PathVariable String id, @PathVariable String userId,
			@RequestParam(defaultValue = "") String role, Caller caller, HttpServletRequest request,
			HttpServletResponse response) {
		return act(caller, id, "role_changed", request, response,
				() -> organizations.changeRole(actor(caller), id, userId, role));
	}

	@PostMapping(path = AdminPageRoutes.ORGANIZATIONS + "/{id}/members/{userId}/remove",
			consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	Object removeMember(@PathVariable String id, @PathVariable String userId, Caller caller,
			HttpServletRequest request, HttpServletResponse response) {
		return act(caller, id, "member_removed", request, response,
				() -> organizations.removeMember(actor(caller), id, userId));
	}

	@PostMapping(path = AdminPageRoutes.ORGANIZATIONS + "/{id}/invitations/{invitationId}/revoke",
			consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	Object revokeInvitation(@PathVariable String id, @PathVariable String invitationId, Caller caller,
			HttpServletRequest request, HttpServletResponse response) {
		return act(caller, id, "invitation_revoked", request, response,
				() -> organizations.revokeInvitation(actor(caller), id, invitationId));
	}

	/** Deletes the organization as the Backend API does; needs a recent sign-in. */
	@PostMapping(path = AdminPageRoutes.ORGANIZATIONS + "/{id}/delete",
			consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	Object delete(@PathVariable String id, Caller caller, HttpServletRequest request, HttpServletResponse response) {
		try {
			organizations.delete(actor(caller), id);
		}
		catch (ApiException e) {
			PageContext ctx = frame.context(request, response);
			return detail(caller, ctx, id, e.code().status(), null, e.getMessage(), null);
		}
		return ResponseEntity.status(HttpStatus.SEE_OTHER)
			.header(HttpHeaders.LOCATION, AdminPageRoutes.ORGANIZATIONS + "?deleted=1")
			.build();
	}

	/** What the administrator typed into the edit form, shown again when it was refused. */
	private record Typed(String name, String publicMetadata, String privateMetadata) {
	}

	/** The JSON object of a form field (blank: the empty object), or null when it is not one. */
	private static Map<String, Object> object(String text) {
		try {
			return JSON.readValue(text.isBlank() ? "{}" : text, OBJECT);
		}
		catch (JacksonException | IllegalArgumentException e) {
			return null;
		}
	}

	/** Runs an action and answers 303 to the page; a refusal shows the page with the service's sentence. */
	private Object act(Caller caller, String id, String done, HttpServletRequest request, HttpServletResponse response,
			Runnable action) {
		return act(caller, id, done, request, response, null, action);
	}

	/** As the action above, showing what was typed into the membership forms again when it is refused. */
	private Object act(Caller caller, String id, String done, HttpServletRequest request, HttpServletResponse response,
			AdminPageViews.MembershipForms typed, Runnable action) {
		try {
			action.run();
		}
		catch (ApiException e) {
			PageContext ctx = frame.context(request, response);
			return detail(caller, ctx, id, e.code().status(), null, e.getMessage(), null, null, typed);
		}
		return back(id, done);
	}

	/** A name as the member API takes it: 1 to 200 characters on one line. */
	private static boolean validName(String trimmed) {
		return !trimmed.isEmpty() && trimmed.length() <= 200 && trimmed.chars().noneMatch(Character::isISOControl);
	}

	/** The administrator as the actor of the changes: their user id, their session, and where they act from. */
	private static AdminCaller actor(Caller caller) {
		return AdminCaller.administrator(caller.userId(), caller.sessionId(), caller.client());
	}

	private static ResponseEntity<Void> back(String id, String done) {
		return ResponseEntity.status(HttpStatus.SEE_OTHER)
			.header(HttpHeaders.LOCATION, AdminPageRoutes.ORGANIZATIONS + "/"
					+ URLEncoder.encode(id, StandardCharsets.UTF_8) + "?done=" + done)
			.build();
	}

	private ModelAndView detail(Caller caller, PageContext ctx, String id, HttpStatusCode status, String notice,
			String alert, Typed typed) {
		return detail(caller, ctx, id, status, notice, alert, typed, null, null);
	}

	private ModelAndView detail(Caller caller, PageContext ctx, String id, HttpStatusCode status, String notice,
			String alert, Typed typed, String membersCursor, AdminPageViews.MembershipForms forms) {
		AdminOrganizations.AdminOrganization organization;
		try {
			organization = organizations.get(id);
		}
		catch (ApiException e) {
			return frame.view(caller, ctx, AdminPageRoutes.ORGANIZATIONS, "organization-not-found",
					HttpStatus.NOT_FOUND);
		}
		List<AdminPageViews.EventRow> events = audit
			.search(new DashboardAuditSearch.Filter(null, null, null, null, null, organization.id()), null)
			.events()
			.stream()
			.limit(EVENTS_SHOWN)
			.map(e -> new AdminPageViews.EventRow(AdminPageFrame.minute(e.occurredAt()), e.type().wireName(),
					ctx.messages().has("event." + e.type().wireName()) ? ctx.t("event." + e.type().wireName())
							: e.type().wireName(),
					e.userId(), e.actorId(), e.organizationId(), e.ip(), e.detail()))
			.toList();
		Page<AdminOrganizations.MemberView> members;
		try {
			members = organizations.members(id, membersCursor, MEMBERS_SHOWN);
		}
		catch (ApiException e) {
			members = organizations.members(id, null, MEMBERS_SHOWN);
		}
		String moreMembers = members.nextCursor() == null ? null
				: AdminPageRoutes.ORGANIZATIONS + "/" + URLEncoder.encode(id, StandardCharsets.UTF_8) + "?members="
						+ URLEncoder.encode(members.nextCursor(), StandardCharsets.UTF_8) + "#members-title";
		return frame.view(caller, ctx, AdminPageRoutes.ORGANIZATIONS, "organization", status, "organization",
				organization, "name", typed != null ? typed.name() : organization.name(), "publicMetadata",
				typed != null ? typed.publicMetadata() : pretty(organization.publicMetadata()), "privateMetadata",
				typed != null ? typed.privateMetadata() : pretty(organization.privateMetadata()), "members",
				members.data(), "moreMembers", moreMembers, "roles",
				organizations.roles(id), "invitations", organizations.invitations(id), "events", events, "notice",
				notice, "alert", alert, "forms", forms != null ? forms : AdminPageViews.MembershipForms.EMPTY);
	}

	private static String pretty(Map<String, Object> metadata) {
		return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(metadata);
	}
}
