package dev.plinto.webhook;

import dev.plinto.audit.AuditEvent;
import dev.plinto.audit.AuditLog;
import dev.plinto.config.PlintoSettings;
import dev.plinto.crypto.SecretBox;
import dev.plinto.crypto.SecureTokens;
import dev.plinto.platform.BuildInfo;
import dev.plinto.web.ClientInfo;
import dev.plinto.webhook.WebhookRepository.Attempt;
import dev.plinto.webhook.WebhookRepository.Claimed;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionOperations;

/**
 * Delivers the outbox (docs/webhooks.md, "Delivery"). Every node runs this worker: each poll claims a batch of due
 * deliveries, locking their endpoints with {@code FOR UPDATE SKIP LOCKED}, so nodes share the queue, no delivery is
 * claimed by two at once and no endpoint is served by two nodes at once ({@link WebhookRepository#claimDue}).
 * <ul>
 * <li><b>Order per endpoint.</b> The deliveries of one endpoint are sent one after another in queue order, each once
 * the previous one's answer is in, and their results are recorded together in one transaction; different endpoints
 * concurrently. With the claim refusing an endpoint that
 * has a delivery leased to a node, first attempts reach an endpoint in the order of its events. Retries do not hold
 * the endpoint up (a failed delivery waits for its retry while later ones go out), so they may arrive after later
 * events; receivers order by the payload's {@code timestamp} where it matters.</li>
 * <li><b>At least once.</b> A claim pushes the delivery's next attempt a lease into the future before anything is
 * sent; a node that stops mid-batch leaves its claims to become due again when the lease ends, and any node sends
 * them then. A result is only recorded under the claim that produced it, so a late node cannot overwrite a newer
 * attempt. Receivers drop duplicates by {@code webhook-id}.</li>
 * <li><b>Retries.</b> A failed attempt (a status other than 2xx, a redirect, a timeout, a broken connection, a
 * refused address) is retried after 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h, each ±20 % at random so that
 * retries after an outage do not arrive in one burst; after the eighth attempt the delivery is failed
 * (replayable).</li>
 * <li><b>Safety.</b> Redirects are never followed (a redirect to an internal address would bypass the address
 * check), the address is checked by {@link EndpointAddresses} before every attempt, the answer must come within
 * {@code PLINTO_WEBHOOKS_TIMEOUT}, and only its first {@value #SNIPPET} bytes are read (OWASP Server-Side Request
 * Forgery Prevention Cheat Sheet).</li>
 * <li><b>Failing endpoints.</b> An endpoint whose attempts have all failed for {@code PLINTO_WEBHOOKS_DISABLE_AFTER}
 * (5 days) is disabled: audited as {@code webhook.endpoint_disabled}, counted in
 * {@code plinto_webhooks_endpoints_disabled_total}, and its pending deliveries are failed (replayable).</li>
 * </ul>
 */
@Component
// Not final: Spring subclasses it (CGLIB) so that ShedLock's lock wraps the retention job.
public class WebhookDispatcher {

	private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);

	/** The waits after the 1st, 2nd, … failed attempt; one more failure than there are waits fails the delivery. */
	static final List<Duration> RETRY_SCHEDULE = List.of(Duration.ofSeconds(5), Duration.ofMinutes(5),
			Duration.ofMinutes(30), Duration.ofHours(2), Duration.ofHours(5), Duration.ofHours(10),
			Duration.ofHours(10));

	static final int BATCH = 50;

	/** Deliveries to one endpoint per batch: sent one after another, so their lease grows with their number. */
	static final int PER_ENDPOINT = 10;

	/** Batches one poll may send before it lets the next poll continue, so one poll never runs unbounded. */
	private static final int MAX_BATCHES_PER_POLL = 20;

	static final int SNIPPET = 1000;

	private final WebhookRepository repository;

	private final WebhookSecrets secrets;

	private final EndpointAddresses addresses;

	private final HttpClient http;

	private final AuditLog audit;

	private final TransactionOperations tx;

	private final Clock clock;

	private final PlintoSettings.Webhooks settings;

	private final Map<String, Counter> attemptsByOutcome = new HashMap<>();

	private final Counter delivered;

	private final Counter failed;

	private final Counter disabled;

	private final ApplicationEventPublisher events;

	private final Timer latency;

	private final AtomicLong queueDepth = new AtomicLong();

	private final AtomicLong oldestAgeSeconds = new AtomicLong();

	WebhookDispatcher(WebhookRepository repository, SecretBox box, EndpointAddresses addresses, HttpClient http,
			AuditLog audit, TransactionOperations tx, Clock clock, PlintoSettings settings, MeterRegistry meters,
			ApplicationEventPublisher events) {
		this.repository = repository;
		this.events = events;
		this.secrets = new WebhookSecrets(box);
		this.addresses = addresses;
		this.http = http;
		this.audit = audit;
		this.tx = tx;
		this.clock = clock;
		this.settings = settings.webhooks();
		for (String outcome : List.of(Outcome.SUCCESS, Outcome.HTTP_ERROR, Outcome.REDIRECT, Outcome.TIMEOUT,
				Outcome.NETWORK_ERROR, Outcome.REFUSED)) {
			attemptsByOutcome.put(outcome, Counter.builder("plinto.webhooks.attempts")
				.description("Webhook delivery attempts, by outcome")
				.tag("outcome", outcome)
				.register(meters));
		}
		this.delivered = Counter.builder("plinto.webhooks.deliveries").description("Webhook deliveries finished, by outcome")
			.tag("outcome", "delivered").register(meters);
		this.failed = Counter.builder("plinto.webhooks.deliveries").description("Webhook deliveries finished, by outcome")
			.tag("outcome", "failed").register(meters);
		this.disabled = Counter.builder("plinto.webhooks.endpoints.disabled")
			.description("Webhook endpoints disabled after failing continuously")
			.register(meters);
		this.latency = Timer.builder("plinto.webhooks.attempt.duration")
			.description("Time from sending a webhook to its answer (or failure)")
			.register(meters);
		Gauge.builder("plinto.webhooks.queue.depth", queueDepth, AtomicLong::get)
			.description("Webhook deliveries waiting to be sent or retried (measured every 15 s)")
			.register(meters);
		Gauge.builder("plinto.webhooks.queue.oldest.age", oldestAgeSeconds, AtomicLong::get)
			.description("Age of the oldest webhook delivery still waiting (measured every 15 s)")
			.baseUnit("seconds")
			.register(meters);
	}

	/** The outcome of one attempt, as the delivery log and the metrics name it. */
	static final class Outcome {

		static final String SUCCESS = "success";

		static final String HTTP_ERROR = "http_error";

		static final String REDIRECT = "redirect";

		static final String TIMEOUT = "timeout";

		static final String NETWORK_ERROR = "network_error";

		static final String REFUSED = "refused";

		private Outcome() {
		}
	}

	private record Result(String outcome, Integer status, String response, String error, long latencyMs) {

		boolean success() {
			return Outcome.SUCCESS.equals(outcome);
		}
	}

	@Scheduled(fixedDelayString = "${plinto.jobs.webhook-poll:1000}", initialDelay = 1000)
	public void dispatch() {
		for (int i = 0; i < MAX_BATCHES_PER_POLL && dispatchBatch() > 0; i++) {
			// something was due: more may be
		}
	}

	/**
	 * Claims one batch, sends it and records every result; returns how many were claimed. Deliveries to one endpoint
	 * are sent one after another in queue order (the next once the previous one's answer is in), different endpoints
	 * concurrently; the results of one endpoint's deliveries are then recorded together, in one transaction (one
	 * commit per endpoint and batch instead of one per delivery). Each endpoint's lease covers its deliveries one
	 * after another: {@code n} timeouts, plus one and 30 s to record them. A node that stops before recording leaves
	 * the whole group to be sent again when the lease ends: at least once, never lost.
	 */
	int dispatchBatch() {
		Instant now = clock.instant();
		List<Claimed> claimed = tx.execute(status -> repository.claimDue(now,
				n -> now.plus(settings.timeout().multipliedBy(n + 1L)).plus(Duration.ofSeconds(30)), BATCH,
				PER_ENDPOINT));
		Map<String, List<Claimed>> byEndpoint = new LinkedHashMap<>();
		for (Claimed c : claimed) {
			byEndpoint.computeIfAbsent(c.endpoint().id(), id -> new ArrayList<>()).add(c);
		}
		List<CompletableFuture<Void>> groups = new ArrayList<>();
		for (List<Claimed> group : byEndpoint.values()) {
			groups.add(sendInTurn(group).thenAccept(this::record).exceptionally(e -> {
				log.warn("Webhook deliveries to {} not recorded: {}", group.get(0).endpoint().id(), e.toString());
				return null;
			}));
		}
		CompletableFuture.allOf(groups.toArray(CompletableFuture[]::new)).join();
		return claimed.size();
	}

	/** A delivery and what came of sending it; {@code result} is null when the endpoint was disabled meanwhile. */
	private record Sent(Claimed delivery, Result result) {
	}

	/** Sends one endpoint's deliveries one after another; completes with those that were sent, in order. */
	private CompletableFuture<List<Sent>> sendInTurn(List<Claimed> group) {
		CompletableFuture<List<Sent>> chain = CompletableFuture.completedFuture(new ArrayList<>(group.size()));
		for (Claimed c : group) {
			chain = chain.thenCompose(sent -> sendSafely(c).thenApply(outcome -> {
				outcome.ifPresent(sent::add);
				return sent;
			}));
		}
		return chain;
	}

	/** Sends one delivery; empty when it could not be sent at all, so that it is due again when its lease ends. */
	private CompletableFuture<Optional<Sent>> sendSafely(Claimed c) {
		try {
			return send(c).handle((result, error) -> {
				if (error != null) {
					log.warn("Webhook delivery {} of {} not sent: {}", c.messageId(), c.eventId(), error.toString());
					return Optional.empty();
				}
				return Optional.of(new Sent(c, result));
			});
		}
		catch (RuntimeException e) {
			// e.g. a secret that opens under no master key in force: the others go on; this one is due again when
			// its lease ends.
			log.warn("Webhook delivery {} of {} not sent: {}", c.messageId(), c.eventId(), e.getMessage());
			return CompletableFuture.completedFuture(Optional.empty());
		}
	}

	private CompletableFuture<Result> send(Claimed c) {
		if (!c.endpoint().enabled()) {
			return CompletableFuture.completedFuture(null);
		}
		URI uri = URI.create(c.endpoint().url());
		try {
			addresses.checkBeforeDelivery(uri);
		}
		catch (EndpointAddresses.Refused e) {
			return CompletableFuture.completedFuture(new Result(Outcome.REFUSED, null, null, e.getMessage(), 0));
		}
		Instant at = clock.instant();
		WebhookSigner.Signed signed = WebhookSigner.sign(c.eventId(), at, c.payload(),
				secrets.openCurrent(c.endpoint()), secrets.openPrevious(c.endpoint(), at));
		HttpRequest request = HttpRequest.newBuilder(uri)
			.timeout(settings.timeout())
			.header("content-type", "application/json")
			.header("user-agent", "Plinto-Webhooks/" + BuildInfo.version())
			.header("webhook-id", signed.id())
			.header("webhook-timestamp", signed.timestamp())
			.header("webhook-signature", signed.signature())
			.POST(HttpRequest.BodyPublishers.ofString(c.payload()))
			.build();
		long started = System.nanoTime();
		return http.sendAsync(request, info -> new LimitedBody(SNIPPET))
			.orTimeout(settings.timeout().toMillis(), TimeUnit.MILLISECONDS)
			.handle((response, error) -> {
				long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
				latency.record(ms, TimeUnit.MILLISECONDS);
				if (error != null) {
					return failure(error, ms);
				}
				int code = response.statusCode();
				String snippet = printable(response.body());
				if (code >= 200 && code < 300) {
					return new Result(Outcome.SUCCESS, code, snippet, null, ms);
				}
				if (code >= 300 && code < 400) {
					return new Result(Outcome.REDIRECT, code, snippet, "redirects are not followed", ms);
				}
				return new Result(Outcome.HTTP_ERROR, code, snippet, null, ms);
			});
	}

	private static Result failure(Throwable error, long ms) {
		Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
		if (cause instanceof HttpTimeoutException || cause instanceof TimeoutException) {
			return new Result(Outcome.TIMEOUT, null, null, "no answer within the timeout", ms);
		}
		String message = cause instanceof IOException && cause.getMessage() != null ? cause.getMessage()
				: cause.getClass().getSimpleName();
		return new Result(Outcome.NETWORK_ERROR, null, null, fit(message, 200), ms);
	}

	/** Records the results of one endpoint's deliveries of a batch in one transaction. */
	private void record(List<Sent> sent) {
		if (sent.isEmpty()) {
			return;
		}
		String endpointId = sent.get(0).delivery().endpoint().id();
		tx.executeWithoutResult(status -> {
			// Whether the endpoint is marked failing: as claimed, then as the results in turn leave it. A success
			// clears the mark only when there is one (a statement per success otherwise).
			boolean failing = sent.get(0).delivery().endpoint().failingSince() != null;
			for (Sent s : sent) {
				boolean succeeded = record(s.delivery(), s.result());
				if (succeeded && failing) {
					repository.endpointSucceeded(endpointId);
				}
				failing = succeeded ? false : failing || s.result() != null;
			}
		});
	}

	/** Records one result in the caller's transaction; true when the attempt succeeded. */
	private boolean record(Claimed c, Result result) {
		Instant now = clock.instant();
		if (result == null) {
			// The endpoint was disabled after the delivery was queued: it receives nothing.
			repository.finish(c.messageId(), c.claim(), "failed", c.attempts(), now, "endpoint disabled", now);
			return false;
		}
		attemptsByOutcome.get(result.outcome()).increment();
		int attempts = c.attempts() + 1;
		repository.insertAttempt(new Attempt(SecureTokens.newId("wha"), c.messageId(), c.endpoint().id(), now,
				result.outcome(), result.status(), result.latencyMs(), result.response(), result.error()));
		if (result.success()) {
			if (repository.finish(c.messageId(), c.claim(), "delivered", attempts, now, null, now)) {
				delivered.increment();
			}
			return true;
		}
		String error = result.error() != null ? result.error() : "HTTP " + result.status();
		if (attempts > RETRY_SCHEDULE.size()) {
			if (repository.finish(c.messageId(), c.claim(), "failed", attempts, now, error, now)) {
				failed.increment();
			}
		}
		else {
			repository.finish(c.messageId(), c.claim(), "pending", attempts,
					now.plus(jittered(RETRY_SCHEDULE.get(attempts - 1))), error, now);
		}
		Instant failingSince = repository.endpointFailed(c.endpoint().id(), now);
		if (!now.isBefore(failingSince.plus(settings.disableAfter()))) {
			disableFailing(c.endpoint(), failingSince, now);
		}
		return false;
	}

	private void disableFailing(WebhookRepository.Endpoint endpoint, Instant failingSince, Instant now) {
		String endpointId = endpoint.id();
		if (repository.setEnabled(endpointId, false, WebhookService.DISABLED_FAILING, now)) {
			int pending = repository.failPending(endpointId, "endpoint disabled", now);
			audit.record(AuditEvent.Type.WEBHOOK_ENDPOINT_DISABLED, null, null, ClientInfo.none(),
					endpointId + " (failing since " + failingSince + "; " + pending + " pending deliveries failed)");
			disabled.increment();
			log.warn("Webhook endpoint {} disabled: every attempt has failed since {}; `plinto webhooks enable {}` "
					+ "and `plinto webhooks replay {} --since …` once it works again", endpointId, failingSince,
					endpointId, endpointId);
			events.publishEvent(new EndpointDisabled(endpointId, endpoint.url(), failingSince, pending, now));
		}
	}

	/**
	 * Published when an endpoint that kept failing has been disabled, after the change is stored: the admin
	 * dashboard's package mails the installation's administrators.
	 */
	public record EndpointDisabled(String endpointId, String url, Instant failingSince, int pendingFailed,
			Instant at) {
	}

	/** ±20 % of the wait, at random: retries after an outage spread out instead of arriving together. */
	static Duration jittered(Duration wait) {
		double factor = 0.8 + ThreadLocalRandom.current().nextDouble() * 0.4;
		return Duration.ofMillis(Math.round(wait.toMillis() * factor));
	}

	/** The queue's size and age for the metrics; every node reports the same shared queue. */
	@Scheduled(fixedDelay = 15_000, initialDelay = 0)
	public void measure() {
		queueDepth.set(repository.countPending());
		Instant now = clock.instant();
		oldestAgeSeconds.set(repository.oldestPending().map(t -> Math.max(0, Duration.between(t, now).toSeconds()))
			.orElse(0L));
	}

	/** Deletes the delivery log, finished deliveries and their events after {@code PLINTO_WEBHOOKS_LOG_RETENTION}. */
	@Scheduled(fixedDelay = 3_600_000, initialDelay = 300_000)
	@SchedulerLock(name = "webhook-log-retention", lockAtMostFor = "30m")
	public void purge() {
		int deleted = tx.execute(status -> repository.deleteBefore(clock.instant().minus(settings.logRetention())));
		if (deleted > 0) {
			log.info("Deleted {} webhook delivery attempts older than {}", deleted,
					PlintoSettings.DurationFormat.format(settings.logRetention()));
		}
	}

	/** Text fit for the log: control characters replaced, at most {@code max} characters. */
	private static String printable(String text) {
		if (text == null || text.isEmpty()) {
			return null;
		}
		return fit(text.replaceAll("\\p{Cntrl}", " "), SNIPPET);
	}

	private static String fit(String text, int max) {
		return text.length() <= max ? text : text.substring(0, max);
	}
}
