package dev.plinto.session;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/** Counters of sign-in and refresh outcomes, exported as {@code plinto_sign_ins_total} and {@code plinto_refreshes_total}. */
@Component
public final class SignInMetrics {

	private final MeterRegistry meters;

	public SignInMetrics(MeterRegistry meters) {
		this.meters = meters;
		// Every outcome is exported from the start at 0, so that alert rules and dashboards on a rate (a spike of
		// reused refresh tokens) have a series before the first event instead of an absent one.
		for (String outcome : new String[] { "success", "invalid_credentials", "locked", "rate_limited",
				"email_not_verified" }) {
			Counter.builder("plinto.sign.ins").description("Sign-in attempts by outcome").tag("outcome", outcome)
				.register(meters);
		}
		for (String outcome : new String[] { "success", "invalid", "reused" }) {
			Counter.builder("plinto.refreshes").description("Refresh-token rotations by outcome").tag("outcome", outcome)
				.register(meters);
		}
	}

	public void signIn(String outcome) {
		Counter.builder("plinto.sign.ins").description("Sign-in attempts by outcome").tag("outcome", outcome)
			.register(meters).increment();
	}

	public void refresh(String outcome) {
		Counter.builder("plinto.refreshes").description("Refresh-token rotations by outcome").tag("outcome", outcome)
			.register(meters).increment();
	}
}
