package dev.plinto.session;

import java.time.Instant;
import java.util.Optional;

/** Stores sign-in flows. */
public interface SignInFlowRepository {

	void insert(SignInFlow flow);

	Optional<SignInFlow> findById(String id);

	/** Moves a flow from {@code expected} to the given flow's state; false if another request moved it first. */
	boolean transition(SignInFlow flow, SignInFlow.State expected);

	/** Deletes flows that expired before {@code before}. */
	int deleteExpired(Instant before);
}
