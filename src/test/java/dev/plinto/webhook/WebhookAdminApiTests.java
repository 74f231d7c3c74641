package dev.plinto.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.plinto.ApiClient;
import dev.plinto.ApiTestSupport;
import dev.plinto.admin.ApiKeys;
import dev.plinto.audit.AuditEvent;
import dev.plinto.web.ClientInfo;
import dev.plinto.webhook.WebhookReceiver.Received;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The Backend API's webhook endpoints ({@code /v1/admin/webhooks…}) through the real server and the real dispatcher:
 * every route, the scopes, the SSRF policy (the receiver listens on 127.0.0.2, the only network allowed, so
 * 127.0.0.1 and the metadata address stay refused), the secret shown once, signed deliveries verified with the
 * Standard Webhooks library, rotation with both signatures during the overlap, replays, and the audit events with
 * the key as actor.
 */
@TestPropertySource(properties = { "PLINTO_WEBHOOKS_ALLOW_HTTP=true", "PLINTO_WEBHOOKS_ALLOWED_NETWORKS=127.0.0.2/32",
		"PLINTO_WEBHOOKS_TIMEOUT=1s", "plinto.jobs.webhook-poll=50" })
class WebhookAdminApiTests extends ApiTestSupport {

	private static final String WEBHOOKS = "/v1/admin/webhooks";

	@Autowired
	ApiKeys apiKeys;

	@Autowired
	WebhookService webhooks;

	@Autowired
	JdbcClient jdbc;

	private final List<WebhookReceiver> receivers = new ArrayList<>();

	private final Set<String> endpoints = new HashSet<>();

	/** Signatures are checked against the real time (5 minutes' tolerance): each test starts at it. */
	@BeforeEach
	void startAtTheRealTime() {
		clock.set(Instant.now());
	}

	@AfterEach
	void cleanUp() {
		for (String id : endpoints) {
			if (webhooks.list().stream().anyMatch(e -> e.id().equals(id))) {
				webhooks.delete(id, ClientInfo.none());
			}
		}
		receivers.forEach(WebhookReceiver::close);
	}

	private ApiKeys.WithSecret newKey(String... scopes) {
		return apiKeys.create("webhooks " + UUID.randomUUID(), List.of(scopes), null, "test", ClientInfo.none());
	}

	private String writer() {
		return newKey("webhooks:read", "webhooks:write").secret();
	}

	private WebhookReceiver receiver() throws Exception {
		WebhookReceiver r = new WebhookReceiver(InetAddress.getByName("127.0.0.2"));
		receivers.add(r);
		return r;
	}

	private ApiClient.Response create(String key, Map<String, Object> body) {
		ApiClient.Response r = api.post(WEBHOOKS, body, key);
		if (r.status() == 201) {
			endpoints.add(r.json().get("endpoint").get("id").asString());
		}
		return r;
	}

	private static List<Received> about(WebhookReceiver receiver, String type, String text) {
		return receiver.received(type).stream().filter(r -> r.body().contains(text)).toList();
	}

	/** The audit events of this type with the key as actor whose detail contains {@code detailPart}. */
	private long audited(AuditEvent.Type type, String actor, String detailPart) {
		return jdbc.sql("select count(*) from audit_events where type = :type and actor_id = :actor and detail like :d")
			.param("type", type.name())
			.param("actor", actor)
			.param("d", "%" + detailPart + "%")
			.query(Long.class)
			.single();
	}

	@Test
	void createWhenValidThenSecretShownOnceAuditedWithKeyAndSignedDeliveriesVerify() throws Exception {
		WebhookReceiver receiver = receiver();
		ApiKeys.WithSecret key = newKey("webhooks:read", "webhooks:write");
		ApiClient.Response created = create(key.secret(), Map.of("url", receiver.url(), "description", "Billing",
				"event_types", List.of("user.created")));
		assertThat(created.status()).as(created.toString()).isEqualTo(201);
		assertThat(created.header("Cache-Control")).contains("no-store");
		JsonNode endpoint = created.json().get("endpoint");
		String id = endpoint.get("id").asString();
		String secret = created.text("secret");
		assertThat(secret).startsWith("whsec_");
		assertThat(created.header("Location")).isEqualTo(WEBHOOKS + "/" + id);
		assertThat(endpoint.get("url").asString()).isEqualTo(receiver.url());
		assertThat(endpoint.get("description").asString()).isEqualTo("Billing");
		assertThat(endpoint.get("event_types").get(0).asString()).isEqualTo("user.created");
		assertThat(endpoint.get("enabled").asBoolean()).isTrue();
		assertThat(audited(AuditEvent.Type.WEBHOOK_ENDPOINT_CREATED, key.key().id(), id)).isEqualTo(1);

		ApiClient.Response got = api.get(WEBHOOKS + "/" + id, key.secret());
		assertThat(got.status()).isEqualTo(200);
		assertThat(got.raw()).doesNotContain(secret).doesNotContain(secret.substring(6)).doesNotContain("secret\"");
		ApiClient.Response listed = api.get(WEBHOOKS, key.secret());
		assertThat(listed.status()).isEqualTo(200);
		assertThat(listed.raw()).contains(id).doesNotContain(secret.substring(6));

		String email = newEmail();
		signUp(email);
		await().until(() -> about(receiver, "user.created", email).size() == 1);
		Received delivery = about(receiver, "user.created", email).get(0);
		delivery.verify(secret);
		assertThat(receiver.received("session.created")).as("the filter holds").isEmpty();

		ApiClient.Response log = api.get(WEBHOOKS + "/" + id + "/deliveries", key.secret());
		assertThat(log.status()).as(log.toString()).isEqualTo(200);
		JsonNode attempt = log.json().get("data").get(0);
		assertThat(attempt.get("event_id").asString()).isEqualTo(delivery.header("webhook-id"));
		assertThat(attempt.get("event_type").asString()).isEqualTo("user.created");
		assertThat(attempt.get("outcome").asString()).isEqualTo("success");
		assertThat(attempt.get("status_code").asInt()).isEqualTo(204);
		assertThat(attempt.get("delivery_status").asString()).isEqualTo("delivered");
		assertThat(attempt.has("latency_ms")).isTrue();
		assertThat(attempt.has("response")).isTrue();
	}

	@Test
	void createWhenDisabledThenNothingDeliveredUntilEnabledByPatch() throws Exception {
		WebhookReceiver receiver = receiver();
		String key = writer();
		ApiClient.Response created = create(key, Map.of("url", receiver.url(), "enabled", false));
		assertThat(created.status()).as(created.toString()).isEqualTo(201);
		String id = created.json().get("endpoint").get("id").asString();
		assertThat(created.json().get("endpoint").get("enabled").asBoolean()).isFalse();
		assertThat(created.json().get("endpoint").get("event_types")).isEmpty();

		ApiClient.Response enabled = api.patch(WEBHOOKS + "/" + id, Map.of("enabled", true), key);
		assertThat(enabled.status()).as(enabled.toString()).isEqualTo(200);
		assertThat(enabled.json().get("enabled").asBoolean()).isTrue();
		String email = newEmail();
		signUp(email);
		await().until(() -> about(receiver, "user.created", email).size() == 1);
		about(receiver, "user.created", email).get(0).verify(created.text("secret"));
	}

	@Test
	void updateWhenFieldsSentThenChangedOthersKeptAndAudited() throws Exception {
		ApiKeys.WithSecret key = newKey("webhooks:read", "webhooks:write");
		ApiClient.Response created = create(key.secret(), Map.of("url", "https://hooks.example.com/a",
				"description", "First", "event_types", List.of("user.created")));
		String id = created.json().get("endpoint").get("id").asString();

		ApiClient.Response updated = api.patch(WEBHOOKS + "/" + id, Map.of("url", "https://hooks.example.com/b",
				"event_types", List.of("user.deleted", "session.revoked")), key.secret());
		assertThat(updated.status()).as(updated.toString()).isEqualTo(200);
		assertThat(updated.text("url")).isEqualTo("https://hooks.example.com/b");
		assertThat(updated.text("description")).isEqualTo("First");
		assertThat(updated.json().get("event_types").toString()).isEqualTo("[\"user.deleted\",\"session.revoked\"]");
		assertThat(audited(AuditEvent.Type.WEBHOOK_ENDPOINT_UPDATED, key.key().id(), id)).isEqualTo(1);

		ApiClient.Response cleared = api.patch(WEBHOOKS + "/" + id, Map.of("description", "", "event_types",
				List.of(), "enabled", false), key.secret());
		assertThat(cleared.status()).as(cleared.toString()).isEqualTo(200);
		assertThat(cleared.json().get("description").isNull()).isTrue();
		assertThat(cleared.json().get("event_types")).isEmpty();
		assertThat(cleared.json().get("enabled").asBoolean()).isFalse();
		assertThat(cleared.text("disabled_reason")).isEqualTo("manual");
		assertThat(audited(AuditEvent.Type.WEBHOOK_ENDPOINT_DISABLED, key.key().id(), id)).isEqualTo(1);

		ApiClient.Response onlyEnable = api.patch(WEBHOOKS + "/" + id, Map.of("enabled", true), key.secret());
		assertThat(onlyEnable.json().get("enabled").asBoolean()).isTrue();
		assertThat(audited(AuditEvent.Type.WEBHOOK_ENDPOINT_UPDATED, key.key().id(), id)).as("enabling alone is no update")
			.isEqualTo(2);
		assertThat(audited(AuditEvent.Type.WEBHOOK_ENDPOINT_ENABLED, key.key().id(), id)).isEqualTo(1);
	}

	@Test
	void createOrUpdateWhenUrlReachesInternalAddressThenRefusedAsInTheCommandLine() {
		String key = writer();
		for (String url : List.of("http://127.0.0.1:8080/hooks", "http://169.254.169.254/latest/meta-data",
				"https://[::1]/hooks", "https://10.0.0.7/hooks", "ftp://hooks.example.com/x",
				"https://user:pw@hooks.example.com/x")) {
			ApiClient.Response r = create(key, Map.of("url", url));
			assertThat(r.status()).as(url + " " + r).isEqualTo(400);
			assertThat(r.code()).isEqualTo("validation_failed");
			assertThat(r.header("Content-Type")).startsWith("application/problem+json");
			assertThat(r.raw()).contains("url");
		}
		assertThat(create(key, Map.of("url", "http://169.254.169.254/")).raw()).contains("internal address");

		String id = create(key, Map.of("url", "https://hooks.example.com/ok")).json().get("endpoint").get("id")
			.asString();
		ApiClient.Response moved = api.patch(WEBHOOKS + "/" + id, Map.of("url", "http://127.0.0.1/"), key);
		assertThat(moved.status()).isEqualTo(400);
		assertThat(moved.code()).isEqualTo("validation_failed");
		assertThat(api.get(WEBHOOKS + "/" + id, key).text("url")).isEqualTo("https://hooks.example.com/ok");
	}

	@Test
	void createWhenUnknownEventTypeThenProblemListingTheTypesAndNoSecret() {
		String key = writer();
		int before = webhooks.list().size();
		ApiClient.Response r = create(key, Map.of("url", "https://hooks.example.com/x", "event_types",
				List.of("user.created", "user.exploded")));
		assertThat(r.status()).as(r.toString()).isEqualTo(400);
		assertThat(r.code()).isEqualTo("validation_failed");
		assertThat(r.header("Content-Type")).startsWith("application/problem+json");
		assertThat(r.raw()).contains("event_types").contains("user.exploded").contains("session.revoked")
			.doesNotContain("whsec_").doesNotContain(key);
		assertThat(webhooks.list()).hasSize(before);

		assertThat(create(key, Map.of("description", "no url")).status()).isEqualTo(400);
	}

	@Test
	void rotateSecretWhenOverlapGivenThenBothSignaturesUntilItEndsThenOnlyTheNew() throws Exception {
		WebhookReceiver receiver = receiver();
		ApiKeys.WithSecret key = newKey("webhooks:read", "webhooks:write");
		ApiClient.Response created = create(key.secret(), Map.of("url", receiver.url(), "event_types",
				List.of("user.created")));
		String id = created.json().get("endpoint").get("id").asString();
		String old = created.text("secret");

		ApiClient.Response rotated = api.post(WEBHOOKS + "/" + id + "/rotate-secret", Map.of("overlap_seconds", 3600),
				key.secret());
		assertThat(rotated.status()).as(rotated.toString()).isEqualTo(200);
		assertThat(rotated.header("Cache-Control")).contains("no-store");
		String fresh = rotated.text("secret");
		assertThat(fresh).startsWith("whsec_").isNotEqualTo(old);
		assertThat(Instant.parse(rotated.json().get("endpoint").get("previous_secret_expires_at").asString()))
			.isBetween(clock.instant().plus(Duration.ofMinutes(59)), clock.instant().plus(Duration.ofMinutes(61)));
		assertThat(audited(AuditEvent.Type.WEBHOOK_SECRET_ROTATED, key.key().id(), id)).isEqualTo(1);

		String during = newEmail();
		signUp(during);
		await().until(() -> about(receiver, "user.created", during).size() == 1);
		Received both = about(receiver, "user.created", during).get(0);
		assertThat(both.header("webhook-signature").split(" ")).hasSize(2);
		both.verify(old);
		both.verify(fresh);

		clock.advance(Duration.ofHours(2));
		String after = newEmail();
		signUp(after);
		await().until(() -> about(receiver, "user.created", after).size() == 1);
		Received only = about(receiver, "user.created", after).get(0);
		assertThat(only.header("webhook-signature")).isEqualTo(only.signature(fresh));

		ApiClient.Response leaked = api.post(WEBHOOKS + "/" + id + "/rotate-secret", Map.of("overlap_seconds", 0),
				key.secret());
		assertThat(leaked.status()).isEqualTo(200);
		assertThat(leaked.json().get("endpoint").get("previous_secret_expires_at").isNull()).isTrue();
		ApiClient.Response defaultOverlap = api.post(WEBHOOKS + "/" + id + "/rotate-secret", "", key.secret());
		assertThat(defaultOverlap.status()).as(defaultOverlap.toString()).isEqualTo(200);
		assertThat(defaultOverlap.json().get("endpoint").get("previous_secret_expires_at").isNull()).isFalse();
		assertThat(api.post(WEBHOOKS + "/" + id + "/rotate-secret", Map.of("overlap_seconds", -1), key.secret())
			.code()).isEqualTo("validation_failed");
	}

	@Test
	void replayWhenEventOrFailedSinceThenDeliveredAgainAndAudited() throws Exception {
		WebhookReceiver receiver = receiver();
		ApiKeys.WithSecret key = newKey("webhooks:read", "webhooks:write");
		ApiClient.Response created = create(key.secret(), Map.of("url", receiver.url(), "event_types",
				List.of("user.created")));
		String id = created.json().get("endpoint").get("id").asString();
		String secret = created.text("secret");
		String email = newEmail();
		signUp(email);
		await().until(() -> about(receiver, "user.created", email).size() == 1);
		String eventId = about(receiver, "user.created", email).get(0).header("webhook-id");

		ApiClient.Response replayed = api.post(WEBHOOKS + "/" + id + "/replay", Map.of("event_id", eventId),
				key.secret());
		assertThat(replayed.status()).as(replayed.toString()).isEqualTo(200);
		assertThat(replayed.json().get("queued").asInt()).isEqualTo(1);
		await().until(() -> about(receiver, "user.created", email).size() == 2);
		Received again = about(receiver, "user.created", email).get(1);
		assertThat(again.header("webhook-id")).isEqualTo(eventId);
		again.verify(secret);
		assertThat(audited(AuditEvent.Type.WEBHOOK_REPLAYED, key.key().id(), eventId)).isEqualTo(1);

		assertThat(api.post(WEBHOOKS + "/" + id + "/replay", Map.of("event_id", "msg_unknown"), key.secret()).code())
			.isEqualTo("not_found");

		// a delivery that fails while the endpoint is disabled, then every failure since a time is replayed
		Instant since = clock.instant();
		api.patch(WEBHOOKS + "/" + id, Map.of("enabled", false), key.secret());
		String missed = newEmail();
		signUp(missed);
		api.patch(WEBHOOKS + "/" + id, Map.of("enabled", true), key.secret());
		assertThat(about(receiver, "user.created", missed)).isEmpty();
		ApiClient.Response failed = api.post(WEBHOOKS + "/" + id + "/replay-failed", Map.of("since",
				since.toString()), key.secret());
		assertThat(failed.status()).as(failed.toString()).isEqualTo(200);
		assertThat(failed.json().get("queued").asInt()).isEqualTo(0);

		jdbc.sql("update webhook_messages set status = 'failed' where endpoint_id = :e").param("e", id).update();
		ApiClient.Response all = api.post(WEBHOOKS + "/" + id + "/replay-failed", Map.of("since",
				since.minus(Duration.ofMinutes(5)).toString()), key.secret());
		assertThat(all.json().get("queued").asInt()).isEqualTo(1);
		assertThat(audited(AuditEvent.Type.WEBHOOK_REPLAYED, key.key().id(), "1 failed since")).isEqualTo(1);
		await().until(() -> about(receiver, "user.created", email).size() >= 3);

		ApiClient.Response bad = api.post(WEBHOOKS + "/" + id + "/replay-failed", Map.of("since", "yesterday"),
				key.secret());
		assertThat(bad.status()).isEqualTo(400);
		assertThat(bad.code()).isEqualTo("validation_failed");
	}

	@Test
	void deliveriesWhenMoreThanAPageThenPagedWithCursor() throws Exception {
		WebhookReceiver receiver = receiver();
		String key = writer();
		ApiClient.Response created = create(key, Map.of("url", receiver.url(), "event_types",
				List.of("user.created")));
		String id = created.json().get("endpoint").get("id").asString();
		List<String> emails = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			String email = newEmail();
			emails.add(email);
			signUp(email);
			await().until(() -> about(receiver, "user.created", email).size() == 1);
		}
		ApiClient.Response first = api.get(WEBHOOKS + "/" + id + "/deliveries?limit=2", key);
		assertThat(first.json().get("data")).hasSize(2);
		String cursor = first.text("next_cursor");
		assertThat(cursor).isNotNull();
		ApiClient.Response second = api.get(WEBHOOKS + "/" + id + "/deliveries?limit=2&cursor=" + cursor, key);
		assertThat(second.status()).as(second.toString()).isEqualTo(200);
		assertThat(second.json().get("data")).hasSize(1);
		assertThat(second.json().get("next_cursor").isNull()).isTrue();
		Set<String> events = new HashSet<>();
		first.json().get("data").forEach(a -> events.add(a.get("event_id").asString()));
		second.json().get("data").forEach(a -> events.add(a.get("event_id").asString()));
		assertThat(events).hasSize(3);
		assertThat(api.get(WEBHOOKS + "/" + id + "/deliveries?cursor=forged", key).code())
			.isEqualTo("validation_failed");
		assertThat(api.get(WEBHOOKS + "/" + id + "/deliveries?limit=0", key).code()).isEqualTo("validation_failed");
	}

	@Test
	void deleteWhenCalledThenGoneAuditedAndUnknownIdsAreNotFound() {
		ApiKeys.WithSecret key = newKey("webhooks:read", "webhooks:write");
		String id = create(key.secret(), Map.of("url", "https://hooks.example.com/gone")).json().get("endpoint")
			.get("id").asString();
		assertThat(api.delete(WEBHOOKS + "/" + id, key.secret()).status()).isEqualTo(204);
		assertThat(audited(AuditEvent.Type.WEBHOOK_ENDPOINT_DELETED, key.key().id(), id)).isEqualTo(1);
		for (ApiClient.Response r : List.of(api.get(WEBHOOKS + "/" + id, key.secret()),
				api.delete(WEBHOOKS + "/" + id, key.secret()),
				api.patch(WEBHOOKS + "/" + id, Map.of("description", "x"), key.secret()),
				api.post(WEBHOOKS + "/" + id + "/rotate-secret", "", key.secret()),
				api.get(WEBHOOKS + "/" + id + "/deliveries", key.secret()))) {
			assertThat(r.status()).as(r.toString()).isEqualTo(404);
			assertThat(r.code()).isEqualTo("not_found");
		}
	}

	@Test
	void writesWhenKeyHasOnlyWebhooksReadThenInsufficientScopeAndNothingChanges() {
		String writer = writer();
		String id = create(writer, Map.of("url", "https://hooks.example.com/scoped")).json().get("endpoint")
			.get("id").asString();
		String reader = newKey("webhooks:read").secret();
		String endpoint = WEBHOOKS + "/" + id;
		List<ApiClient.Response> refused = List.of(
				api.post(WEBHOOKS, Map.of("url", "https://hooks.example.com/new"), reader),
				api.patch(endpoint, Map.of("description", "changed"), reader), api.delete(endpoint, reader),
				api.post(endpoint + "/rotate-secret", "", reader),
				api.post(endpoint + "/replay", Map.of("event_id", "msg_x"), reader),
				api.post(endpoint + "/replay-failed", Map.of("since", "2026-01-01T00:00:00Z"), reader));
		for (ApiClient.Response r : refused) {
			assertThat(r.status()).as(r.toString()).isEqualTo(403);
			assertThat(r.code()).isEqualTo("insufficient_scope");
			assertThat(r.header("WWW-Authenticate")).contains("scope=\"webhooks:write\"");
		}
		assertThat(api.get(WEBHOOKS, reader).status()).isEqualTo(200);
		assertThat(api.get(endpoint, reader).json().has("description")).isTrue();
		assertThat(api.get(endpoint, reader).json().get("description").isNull()).as("nothing changed").isTrue();
		assertThat(api.get(endpoint + "/deliveries", reader).status()).isEqualTo(200);

		String other = newKey("users:read", "webhooks:write").secret();
		ApiClient.Response noRead = api.get(endpoint, other);
		assertThat(noRead.status()).isEqualTo(403);
		assertThat(noRead.header("WWW-Authenticate")).contains("scope=\"webhooks:read\"");
		assertThat(api.get(WEBHOOKS, newKey("users:read").secret()).status()).isEqualTo(403);
		assertThat(api.get(WEBHOOKS).status()).isEqualTo(401);
	}
}
