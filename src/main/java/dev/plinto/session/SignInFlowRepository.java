package dev.plinto.session;

import java.time.Instant;
import java.util.Optional;

/** Stores sign-in flows. */
public interface SignInFlowRepository {

	void insert(SignInFlow flow);

	Optional<SignInFlow> findById(String id);

	/** Moves a flow from {@code expected} to the given flow's state; false if another request moved it first. */
	boolean transition(SignInFlow flow, SignInFlow.State expected);

	/**
	 * Like {@link #transition(SignInFlow, SignInFlow.State)}, and stores the hash of the flow's single-use token
	 * (null clears it).
	 */
	boolean transition(SignInFlow flow, SignInFlow.State expected, String tokenHash);

	/** The flow holding this token hash, whatever its state. */
	Optional<SignInFlow> findByTokenHash(String tokenHash);

	/** Deletes flows that expired before {@code before}. */
	int deleteExpired(Instant before);
}
