package dev.plinto.pages;

/**
 * What the invitation link's page ({@code accept-invitation.jte}) shows for a live link; part of the stable template
 * contract.
 *
 * @param token the link's token, posted back as {@code token}
 * @param organizationName the organization the link invites to
 * @param inviter who invited ("name (email)" or the email), or null
 * @param email the invited address
 * @param visitor who opened the link
 * @param signedInAs the email of the signed-in account, or null when signed out
 */
public record InvitationPageView(String token, String organizationName, String inviter, String email,
		Visitor visitor, String signedInAs) {

	/** This page's own path with its token, e.g. for a {@code redirect_url} back to it. */
	public String pagePath() {
		return PageRoutes.ACCEPT_INVITATION + "?token=" + java.net.URLEncoder.encode(token,
				java.nio.charset.StandardCharsets.UTF_8);
	}

	/** Sign-out with a way back to this page, for a visitor signed in with another address. */
	public String signOutHref() {
		return PageRoutes.SIGN_OUT + "?redirect_url=" + java.net.URLEncoder.encode(pagePath(),
				java.nio.charset.StandardCharsets.UTF_8);
	}

	/** Who opened a live link, which decides what the page offers. */
	public enum Visitor {

		/** Signed out, and no account has the invited address: create one and join. */
		NEW_ACCOUNT,
		/** Signed in with the invited address: join with one button. */
		INVITEE,
		/** Signed in with another address: sign out first. */
		OTHER_ACCOUNT
	}
}
