package dev.plinto.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import dev.plinto.ApiClient;
import dev.plinto.ApiTestSupport;
import dev.plinto.account.AccountEvent;
import dev.plinto.account.UserView;
import dev.plinto.web.ApiException;
import dev.plinto.web.ClientInfo;
import dev.plinto.webhook.WebhookReceiver.Answer;
import dev.plinto.webhook.WebhookReceiver.Received;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Webhooks end to end: real changes through the API, the real dispatcher, and a real HTTP receiver on loopback that
 * verifies every delivery with the Standard Webhooks Java library and checks it against the published JSON Schema
 * (docs/webhooks.schema.json). Retries are made due by moving the test clock, never by waiting.
 */
@TestPropertySource(properties = { "PLINTO_WEBHOOKS_ALLOW_HTTP=true", "PLINTO_WEBHOOKS_ALLOWED_NETWORKS=127.0.0.1/32",
		"PLINTO_WEBHOOKS_TIMEOUT=1s", "plinto.jobs.webhook-poll=50" })
@Import(WebhookDeliveryTests.Names.class)
class WebhookDeliveryTests extends ApiTestSupport {

	/** Host names with fixed answers, for the address checks; every other name goes to the system resolver. */
	@TestConfiguration(proxyBeanMethods = false)
	static class Names {

		@Bean
		@Primary
		EndpointAddresses.Resolver testResolver() {
			Map<String, String> fixed = Map.of("internal.plinto.test", "10.0.0.7", "metadata.plinto.test",
					"169.254.169.254", "mixed.plinto.test", "93.184.215.14");
			return host -> {
				if (host.equals("mixed.plinto.test")) {
					return new InetAddress[] { InetAddress.getByName("93.184.215.14"),
							InetAddress.getByName("192.168.1.20") };
				}
				String address = fixed.get(host);
				return address == null ? InetAddress.getAllByName(host)
						: new InetAddress[] { InetAddress.getByName(address) };
			};
		}
	}

	static final Schema SCHEMA;

	static {
		try (InputStream in = Files.newInputStream(Path.of("docs/webhooks.schema.json"))) {
			SCHEMA = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(in);
		}
		catch (java.io.IOException e) {
			throw new IllegalStateException(e);
		}
	}

	@Autowired
	WebhookService webhooks;

	@Autowired
	WebhookRepository repository;

	@Autowired
	WebhookOutbox outbox;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	TransactionTemplate tx;

	@Autowired
	ApplicationEventPublisher events;

	@Autowired
	MeterRegistry meters;

	private final List<String> endpoints = new ArrayList<>();

	private final List<WebhookReceiver> receivers = new ArrayList<>();

	/** Signatures are checked against the real time (5 minutes' tolerance): each test starts at it. */
	@BeforeEach
	void startAtTheRealTime() {
		clock.set(Instant.now());
	}

	@AfterEach
	void removeEndpoints() {
		endpoints.forEach(id -> webhooks.delete(id, ClientInfo.none()));
		receivers.forEach(WebhookReceiver::close);
	}

	private WebhookReceiver receiver() throws Exception {
		WebhookReceiver r = new WebhookReceiver();
		receivers.add(r);
		return r;
	}

	private WebhookService.WithSecret endpoint(String url, String... types) {
		WebhookService.WithSecret created = webhooks.create(url, "test receiver", List.of(types), ClientInfo.none());
		endpoints.add(created.endpoint().id());
		return created;
	}

	/** The deliveries of one user's events (other tests' events may reach an endpoint of theirs, never ours). */
	private static List<Received> about(WebhookReceiver receiver, String type, String text) {
		return receiver.received(type).stream().filter(r -> r.body().contains(text)).toList();
	}

	private static void assertValid(Received r, String secret) throws WebhookVerificationException {
		r.verify(secret);
		assertThat(SCHEMA.validate(r.json())).as(r.body()).isEmpty();
		assertThat(r.json().get("id").asString()).isEqualTo(r.header("webhook-id"));
		assertThat(r.header("content-type")).isEqualTo("application/json");
	}

	private List<WebhookService.DeliveryAttempt> attempts(String endpointId) {
		return webhooks.attempts(endpointId, 100);
	}

	private Instant failingSince(String endpointId) {
		return jdbc.sql("select failing_since from webhook_endpoints where id = ?")
			.param(endpointId)
			.query((rs, i) -> java.util.Optional.ofNullable(rs.getTimestamp(1)))
			.single()
			.map(java.sql.Timestamp::toInstant)
			.orElse(null);
	}

	private String status(String endpointId, String eventId) {
		return jdbc.sql("select status from webhook_messages where endpoint_id = :e and event_id = :v")
			.param("e", endpointId)
			.param("v", eventId)
			.query(String.class)
			.single();
	}

	@Test
	void signUpWhenEndpointSubscribedThenEventsArriveOnceSignedAndMatchingTheSchema() throws Exception {
		WebhookReceiver receiver = receiver();
		WebhookService.WithSecret endpoint = endpoint(receiver.url());
		String email = newEmail();
		String userId = signUp(email).json().get("user").get("id").asString();

		await().until(() -> about(receiver, "user.created", email).size() == 1
				&& about(receiver, "session.created", userId).size() == 1);

		Received created = about(receiver, "user.created", email).get(0);
		assertValid(created, endpoint.secret());
		assertThat(created.json().get("data").get("id").asString()).isEqualTo(userId);
		assertThat(created.body()).doesNotContain("password").doesNotContain("$argon2");
		assertValid(about(receiver, "session.created", userId).get(0), endpoint.secret());
		Set<String> ids = receiver.received().stream().map(r -> r.header("webhook-id")).collect(Collectors.toSet());
		assertThat(ids).as("no duplicates without a fault").hasSize(receiver.received().size());
		assertThat(attempts(endpoint.endpoint().id())).allSatisfy(a -> {
			assertThat(a.outcome()).isEqualTo("success");
			assertThat(a.statusCode()).isEqualTo(204);
		});
	}

	@Test
	void changesWhenMadeThroughTheApiThenEachTypeArrivesMatchingTheSchema() throws Exception {
		WebhookReceiver receiver = receiver();
		WebhookService.WithSecret endpoint = endpoint(receiver.url());
		String email = newEmail();
		ApiClient.Response signedUp = signUp(email);
		String token = signedUp.text("access_token");
		String userId = signedUp.json().get("user").get("id").asString();
		assertThat(api.patch("/v1/me", ApiClient.map("name", "Ada Lovelace"), token).status()).isEqualTo(200);
		ApiClient.Response org = api.post("/v1/organizations", ApiClient.map("name", "Analytical Engines"), token);
		assertThat(org.status()).as(org.toString()).isEqualTo(201);
		String orgId = org.text("id");
		assertThat(api.patch("/v1/organizations/" + orgId, ApiClient.map("public_metadata", Map.of("plan", "pro")),
				token).status()).isEqualTo(200);
		ApiClient.Response invited = api.post("/v1/organizations/" + orgId + "/invitations",
				ApiClient.map("email", newEmail(), "role", "member"), token);
		assertThat(invited.status()).as(invited.toString()).isEqualTo(201);
		assertThat(api.delete("/v1/organizations/" + orgId + "/invitations/" + invited.text("id"), token).status())
			.isEqualTo(204);
		assertThat(api.post("/v1/me/password", ApiClient.map("current_password", PASSWORD, "new_password",
				"another long passphrase"), token).status()).isEqualTo(204);
		assertThat(api.post("/v1/sign-out", null, token).status()).isIn(204, 401);
		assertThat(api.delete("/v1/organizations/" + orgId, signIn(email, "another long passphrase")
			.text("access_token")).status()).isEqualTo(204);

		List<String> expected = List.of("user.created", "session.created", "user.updated", "organization.created",
				"membership.created", "organization.updated", "invitation.created", "invitation.revoked",
				"password.changed", "organization.deleted");
		await().until(() -> expected.stream().allMatch(t -> !about(receiver, t, userId).isEmpty()));
		for (String type : expected) {
			for (Received r : about(receiver, type, userId)) {
				assertValid(r, endpoint.secret());
			}
		}
		assertThat(about(receiver, "organization.updated", orgId).get(0).json().get("data").get("public_metadata")
			.get("plan").asString()).isEqualTo("pro");
		assertThat(about(receiver, "organization.created", orgId).get(0).body()).doesNotContain("private_metadata");
		assertThat(about(receiver, "password.changed", userId).get(0).json().get("data").get("reason").asString())
			.isEqualTo("password_changed");
	}

	@Test
	void eventTypesWhenFilteredThenOnlyThoseTypesArrive() throws Exception {
		WebhookReceiver filtered = receiver();
		WebhookReceiver everything = receiver();
		endpoint(filtered.url(), "user.created");
		endpoint(everything.url());
		String email = newEmail();
		String userId = signUp(email).json().get("user").get("id").asString();

		await().until(() -> about(everything, "session.created", userId).size() == 1);
		await().until(() -> about(filtered, "user.created", email).size() == 1);
		assertThat(filtered.received()).extracting(Received::type).containsOnly("user.created");
	}

	@Test
	void receiverWhenAnswers500ThenRetriedAfterTheBackoffAndDeliveredOnce() throws Exception {
		WebhookReceiver receiver = receiver();
		WebhookService.WithSecret endpoint = endpoint(receiver.url(), "user.created");
		receiver.then(Answer.SERVER_ERROR);
		String email = newEmail();
		signUp(email);

		await().until(() -> about(receiver, "user.created", email).size() == 1);
		await().until(() -> attempts(endpoint.endpoint().id()).size() == 1);
		WebhookService.DeliveryAttempt first = attempts(endpoint.endpoint().id()).get(0);
		assertThat(first.outcome()).isEqualTo("http_error");
		assertThat(first.statusCode()).isEqualTo(500);
		assertThat(first.response()).isEqualTo("database down");
		assertThat(first.deliveryStatus()).isEqualTo("pending");

		clock.advance(Duration.ofSeconds(7)); // the first retry waits 5 s ± 20 %
		await().until(() -> about(receiver, "user.created", email).size() == 2);
		await().until(() -> status(endpoint.endpoint().id(), first.eventId()).equals("delivered"));
		List<Received> both = about(receiver, "user.created", email);
		assertThat(both.get(1).header("webhook-id")).as("a retry carries the same webhook-id")
			.isEqualTo(both.get(0).header("webhook-id"));
		assertValid(both.get(1), endpoint.secret());
	}

	@Test
	void receiverWhenSilentBeyondTheTimeoutThenTimedOutAndRetried() throws Exception {
		assertFaultRetried(Answer.HANG, "timeout");
	}

	@Test
	void receiverWhenClosingTheConnectionThenRetried() throws Exception {
		assertFaultRetried(Answer.CLOSE, "network_error");
	}

	@Test
	void receiverWhenRedirectingThenNotFollowedAndRetried() throws Exception {
		WebhookReceiver receiver = assertFaultRetried(Answer.REDIRECT, "redirect");
		assertThat(receiver.redirectTargetHits()).as("the redirect is never followed").isZero();
	}

	private WebhookReceiver assertFaultRetried(Answer fault, String outcome) throws Exception {
		WebhookReceiver receiver = receiver();
		WebhookService.WithSecret endpoint = endpoint(receiver.url(), "user.created");
		receiver.then(fault);
		String email = newEmail();
		signUp(email);

		await().until(() -> attempts(endpoint.endpoint().id()).size() == 1);
		assertThat(attempts(endpoint.endpoint().id()).get(0).outcome()).isEqualTo(outcome);
		assertThat(failingSince(endpoint.endpoint().id())).as("the endpoint is marked failing").isNotNull();
		clock.advance(Duration.ofSeconds(7));
		await().until(() -> attempts(endpoint.endpoint().id()).size() == 2);
		WebhookService.DeliveryAttempt retry = attempts(endpoint.endpoint().id()).get(0);
		assertThat(retry.outcome()).isEqualTo("success");
		assertThat(failingSince(endpoint.endpoint().id())).as("a success clears the mark").isNull();
		assertThat(status(endpoint.endpoint().id(), retry.eventId())).isEqualTo("delivered");
		assertValid(about(receiver, "user.created", email).get(1), endpoint.secret());
		return receiver;
	}

	@Test
	void endpointWhenDisabledThenReceivesNothing() throws Exception {
		WebhookReceiver disabled = receiver();
		WebhookReceiver enabled = receiver();
		String disabledId = endpoint(disabled.url()).endpoint().id();
		endpoint(enabled.url());
		webhooks.disable(disabledId, ClientInfo.none());
		String email = newEmail();
		signUp(email);

		await().until(() -> about(enabled, "user.created", email).size() == 1);
		assertThat(disabled.received()).isEmpty();
		assertThat(jdbc.sql("select count(*) from webhook_messages where endpoint_id = :e").param("e", disabledId)
			.query(Long.class).single()).isZero();
		assertThat(webhooks.get(disabledId).disabledReason()).isEqualTo("manual");
	}

	@Test
	void changeWhenRolledBackThenNoEventIsStoredOrSent() throws Exception {
		WebhookReceiver receiver = receiver();
		endpoint(receiver.url(), "user.updated");
		UserView rolledBack = new UserView("usr_rolledback", "rolled-back@example.com", false, "x", clock.instant());
		UserView committed = new UserView("usr_committed", "committed@example.com", false, "y", clock.instant());

		assertThatThrownBy(() -> tx.executeWithoutResult(status -> {
			events.publishEvent(new AccountEvent(AccountEvent.Kind.UPDATED, rolledBack));
			throw new IllegalStateException("the change fails after its event");
		})).isInstanceOf(IllegalStateException.class);
		tx.executeWithoutResult(status -> events.publishEvent(new AccountEvent(AccountEvent.Kind.UPDATED, committed)));

		await().until(() -> about(receiver, "user.updated", "usr_committed").size() == 1);
		assertThat(about(receiver, "user.updated", "usr_rolledback")).isEmpty();
		assertThat(jdbc.sql("select count(*) from webhook_events where payload like '%usr_rolledback%'")
			.query(Long.class).single()).isZero();
	}

	@Test
	void endpointWhenItsNameResolvesToAnInternalAddressThenRefusedAndNothingIsSent() throws Exception {
		WebhookReceiver receiver = receiver();
		String port = ":" + receiver.port() + "/hooks";
		String internal = endpoint("http://internal.plinto.test" + port, "user.created").endpoint().id();
		String metadata = endpoint("http://metadata.plinto.test" + port, "user.created").endpoint().id();
		String mixed = endpoint("http://mixed.plinto.test" + port, "user.created").endpoint().id();
		signUp(newEmail());

		for (String id : List.of(internal, metadata, mixed)) {
			await().until(() -> attempts(id).size() == 1);
			assertThat(attempts(id).get(0).outcome()).isEqualTo("refused");
			assertThat(attempts(id).get(0).error()).contains("internal address");
		}
		assertThat(receiver.received()).isEmpty();
	}

	@Test
	void createWhenTheUrlIsAnInternalAddressOrNotHttpsAllowedThenRefused() {
		for (String url : List.of("http://169.254.169.254/latest/meta-data", "http://[::1]:8080/", "http://10.1.2.3/",
				"ftp://example.com/", "https://user:pass@example.com/", "http://[::ffff:127.0.0.2]/")) {
			assertThatThrownBy(() -> webhooks.create(url, null, List.of(), ClientInfo.none())).as(url)
				.isInstanceOfSatisfying(ApiException.class,
						e -> assertThat(e.fieldErrors()).extracting(ApiException.FieldError::field).containsExactly("url"));
		}
		assertThatThrownBy(() -> webhooks.create("https://example.com/", null, List.of("user.exploded"),
				ClientInfo.none())).isInstanceOf(ApiException.class).hasMessageContaining("user.exploded");
	}

	@Test
	void claimWhenTheNodeStopsBeforeRecordingThenAnotherPollDeliversAfterTheLease() throws Exception {
		WebhookReceiver receiver = receiver();
		WebhookService.WithSecret endpoint = endpoint(receiver.url(), "user.updated");
		UserView user = new UserView("usr_crashed", "crashed@example.com", true, "z", clock.instant());
		Instant lease = clock.instant().plus(Duration.ofMinutes(1));
		// One transaction writes the event and claims it, as a node would right after commit, then "dies": the claim
		// commits, the attempt is never made and never recorded.
		List<WebhookRepository.Claimed> claimed = tx.execute(status -> {
			outbox.write(WebhookEventType.USER_UPDATED, user);
			return repository.claimDue(clock.instant(), n -> lease, WebhookDispatcher.BATCH,
					WebhookDispatcher.PER_ENDPOINT);
		});
		WebhookRepository.Claimed mine = claimed.stream()
			.filter(c -> c.endpoint().id().equals(endpoint.endpoint().id()))
			.findFirst()
			.orElseThrow();
		assertThat(status(endpoint.endpoint().id(), mine.eventId())).isEqualTo("pending");

		clock.advance(Duration.ofMinutes(2));
		await().until(() -> about(receiver, "user.updated", "usr_crashed").size() == 1);
		await().until(() -> status(endpoint.endpoint().id(), mine.eventId()).equals("delivered"));
		assertThat(repository.finish(mine.messageId(), mine.claim(), "failed", 1, clock.instant(), "late", clock
			.instant())).as("the dead node's claim can no longer record a result").isFalse();
		assertThat(status(endpoint.endpoint().id(), mine.eventId())).isEqualTo("delivered");
	}

	/**
	 * docs/webhooks.md, "Order": the first attempts to one endpoint go out one after another in the order of the
	 * events, the next only once the previous one is answered, while another endpoint is served at the same time.
	 */
	@Test
	void dispatchWhenOneEndpointHasSeveralEventsThenTheyArriveOneAtATimeInEventOrder() throws Exception {
		WebhookReceiver slow = receiver();
		WebhookReceiver other = receiver();
		WebhookService.WithSecret endpoint = endpoint(slow.url(), "user.updated");
		endpoint(other.url(), "user.updated");
		slow.then(Answer.SLOW, Answer.SLOW, Answer.SLOW, Answer.SLOW, Answer.SLOW, Answer.SLOW);
		List<String> users = new ArrayList<>();
		tx.executeWithoutResult(status -> {
			for (int i = 0; i < 6; i++) {
				String id = "usr_order" + i + "x" + Long.toString(System.nanoTime(), 36);
				users.add(id);
				outbox.write(WebhookEventType.USER_UPDATED, new UserView(id, id + "@example.com", true, "n" + i,
						clock.instant()));
			}
		});

		await().until(() -> users.stream().allMatch(u -> about(slow, "user.updated", u).size() == 1));
		List<String> order = slow.received("user.updated").stream()
			.map(r -> r.json().get("data").get("id").asString())
			.filter(users::contains)
			.toList();
		assertThat(order).containsExactlyElementsOf(users);
		assertThat(slow.maxConcurrent()).as("one request at a time to one endpoint").isEqualTo(1);
		await().until(() -> users.stream().allMatch(u -> about(other, "user.updated", u).size() == 1));
		for (Received r : slow.received("user.updated")) {
			assertValid(r, endpoint.secret());
		}
	}

	@Test
	void rotateSecretWhenOverlappingThenDeliveriesVerifyWithTheOldAndTheNewSecret() throws Exception {
		WebhookReceiver receiver = receiver();
		WebhookService.WithSecret endpoint = endpoint(receiver.url(), "user.created");
		WebhookService.WithSecret rotated = webhooks.rotateSecret(endpoint.endpoint().id(), Duration.ofHours(1),
				ClientInfo.none());
		String email = newEmail();
		signUp(email);

		await().until(() -> about(receiver, "user.created", email).size() == 1);
		Received during = about(receiver, "user.created", email).get(0);
		assertThat(rotated.secret()).isNotEqualTo(endpoint.secret()).startsWith("whsec_");
		assertThat(during.header("webhook-signature").split(" ")).hasSize(2);
		during.verify(endpoint.secret());
		during.verify(rotated.secret());

		clock.advance(Duration.ofHours(2));
		String later = newEmail();
		signUp(later);
		await().until(() -> about(receiver, "user.created", later).size() == 1);
		Received after = about(receiver, "user.created", later).get(0);
		// two hours on, the library's timestamp tolerance would refuse it: compare with the library's signature
		assertThat(after.header("webhook-signature")).isEqualTo(after.signature(rotated.secret()));
		assertThat(after.header("webhook-signature")).doesNotContain(after.signature(endpoint.secret()));
	}

	@Test
	void endpointWhenFailingContinuouslyForFiveDaysThenDisabledAuditedCountedAndAdministratorsMailed()
			throws Exception {
		String admin = newEmail();
		String support = newEmail();
		signUp(admin);
		signUp(support);
		jdbc.sql("update users set instance_role = 'admin' where email = ?").param(admin).update();
		jdbc.sql("update users set instance_role = 'support' where email = ?").param(support).update();
		WebhookReceiver receiver = receiver();
		String id = endpoint(receiver.url(), "user.created").endpoint().id();
		for (int i = 0; i < 20; i++) {
			receiver.then(Answer.SERVER_ERROR);
		}
		double before = meters.counter("plinto.webhooks.endpoints.disabled").count();
		signUp(newEmail());
		await().until(() -> attempts(id).size() == 1);
		clock.advance(Duration.ofDays(5)); // the first retry is due, and the endpoint has failed for 5 days
		await().until(() -> !webhooks.get(id).enabled());

		assertThat(webhooks.get(id).disabledReason()).isEqualTo("failing");
		assertThat(meters.counter("plinto.webhooks.endpoints.disabled").count()).isEqualTo(before + 1);
		assertThat(jdbc.sql("select count(*) from audit_events where type = 'WEBHOOK_ENDPOINT_DISABLED' and detail "
				+ "like :id").param("id", id + " (failing since%").query(Long.class).single()).isEqualTo(1);
		assertThat(jdbc.sql("select subject from mail_outbox where recipient = ?").param(admin).query(String.class)
			.list()).as("the administrators are mailed").contains("A webhook endpoint of Plinto was disabled");
		assertThat(jdbc.sql("select count(*) from mail_outbox where recipient = ? and subject like 'A webhook%'")
			.param(support).query(Long.class).single()).as("read-only support accounts are not").isZero();
		int received = receiver.received().size();
		signUp(newEmail());
		clock.advance(Duration.ofMinutes(1));
		webhooks.enable(id, ClientInfo.none());
		assertThat(receiver.received()).as("a disabled endpoint is sent nothing").hasSize(received);
	}

	@Test
	void deliveryWhenEveryAttemptFailsThenFailedAfterTheScheduleAndReplayDeliversIt() throws Exception {
		WebhookReceiver receiver = receiver();
		String id = endpoint(receiver.url(), "user.created").endpoint().id();
		int tries = WebhookDispatcher.RETRY_SCHEDULE.size() + 1;
		for (int i = 0; i < tries; i++) {
			receiver.then(Answer.SERVER_ERROR);
		}
		double failedBefore = meters.counter("plinto.webhooks.deliveries", "outcome", "failed").count();
		Instant since = clock.instant();
		String email = newEmail();
		signUp(email);
		for (int attempt = 1; attempt <= tries; attempt++) {
			int n = attempt;
			await().until(() -> attempts(id).size() == n);
			clock.advance(Duration.ofHours(13)); // more than the longest wait with its jitter
		}
		String eventId = attempts(id).get(0).eventId();
		await().until(() -> status(id, eventId).equals("failed"));
		assertThat(meters.counter("plinto.webhooks.deliveries", "outcome", "failed").count()).isEqualTo(failedBefore + 1);
		assertThat(webhooks.get(id).enabled()).as("32 hours of failures are less than 5 days").isTrue();

		assertThat(webhooks.replayFailed(id, since, ClientInfo.none())).isEqualTo(1);
		await().until(() -> status(id, eventId).equals("delivered"));
		assertThat(about(receiver, "user.created", email)).hasSize(tries + 1)
			.extracting(r -> r.header("webhook-id"))
			.containsOnly(eventId);
	}

	@Test
	void nodeLibraryWhenVerifyingTheSameDeliveriesThenAgreesWithTheJavaLibrary() throws Exception {
		WebhookReceiver receiver = receiver();
		WebhookService.WithSecret endpoint = endpoint(receiver.url());
		WebhookService.WithSecret rotated = webhooks.rotateSecret(endpoint.endpoint().id(), Duration.ofHours(1),
				ClientInfo.none());
		String email = newEmail();
		String userId = signUp(email).json().get("user").get("id").asString();
		await().until(() -> about(receiver, "session.created", userId).size() == 1
				&& about(receiver, "user.created", email).size() == 1);
		List<Received> deliveries = List.of(about(receiver, "user.created", email).get(0),
				about(receiver, "session.created", userId).get(0));
		for (Received r : deliveries) {
			r.verify(rotated.secret());
		}

		String withNew = NodeVerifier.verify(rotated.secret(), deliveries);
		String withOld = NodeVerifier.verify(endpoint.secret(), deliveries);

		assertThat(withNew).contains("verified " + deliveries.get(0).header("webhook-id") + " user.created")
			.contains("session.created");
		assertThat(withOld).contains("user.created");
	}

	@Test
	void replayWhenOneEventThenSentAgainWithTheSameId() throws Exception {
		WebhookReceiver receiver = receiver();
		WebhookService.WithSecret endpoint = endpoint(receiver.url(), "user.created");
		String email = newEmail();
		signUp(email);
		await().until(() -> about(receiver, "user.created", email).size() == 1);
		String eventId = about(receiver, "user.created", email).get(0).header("webhook-id");

		webhooks.replay(endpoint.endpoint().id(), eventId, ClientInfo.none());

		await().until(() -> about(receiver, "user.created", email).size() == 2);
		assertThat(about(receiver, "user.created", email).get(1).header("webhook-id")).isEqualTo(eventId);
		assertThatThrownBy(() -> webhooks.replay(endpoint.endpoint().id(), "msg_unknown", ClientInfo.none()))
			.isInstanceOf(ApiException.class);
	}
}
