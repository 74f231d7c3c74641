package dev.plinto.federation;

import java.time.Instant;

/**
 * One authorization request sent to an identity provider ({@code federation_flows}), from the start until its
 * callback (docs/federation.md). {@code sealedSecrets} holds the PKCE code verifier and the nonce, sealed with the
 * master key under {@code federation-flow:} + id; {@code browserHash} the SHA-256 of the starting browser's cookie
 * value (null for the JSON API); {@code linkUserId} the signed-in user who is linking another account;
 * {@code identityJson} and {@code resultHash} the verified identity of a JSON API flow and the hash of the
 * single-use code the app exchanges for the sign-in's outcome.
 */
record FederationFlow(String id, String provider, Type type, String stateHash, String sealedSecrets,
		String browserHash, String redirectUrl, String linkUserId, String identityJson, String resultHash,
		Instant createdAt, Instant expiresAt, Instant usedAt) {

	/** Who started the flow: a browser on the hosted pages, an app through the JSON API, or the account page. */
	enum Type { BROWSER, API, LINK }

	/** The associated data the flow's secrets are sealed under. */
	static String associatedData(String id) {
		return "federation-flow:" + id;
	}
}
