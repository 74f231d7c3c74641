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
