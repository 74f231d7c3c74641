package dev.plinto.federation;

import java.time.Instant;
import java.util.Optional;

/** Storage of federation flows ({@code federation_flows}, V22) and of the organization a connection's sign-in joined. */
interface FederationFlowRepository {

	void insert(FederationFlow flow);

	Optional<FederationFlow> findByStateHash(String stateHash);

	/**
	 * Spends a flow's state at its callback: sets {@code used_at} and erases the sealed secrets, only if it was not
	 * spent before; false when another request spent it first (a replayed state).
	 */
	boolean spend(String id, Instant at);

	/** Keeps the verified identity of a JSON API flow and the hash of the code the app exchanges for it. */
	void hold(String id, String identityJson, String resultHash);

	/** The flow with this id and result hash, taken once: its identity and hash are erased. */
	Optional<FederationFlow> take(String flowId, String resultHash);

	int deleteExpired(Instant before);

	void insertSignInOrganization(String signInFlowId, String organizationId, Instant expiresAt);

	/** The organization the sign-in flow joined, removed as it is read. */
	Optional<String> takeSignInOrganization(String signInFlowId);
}
