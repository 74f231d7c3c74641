package dev.plinto.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinto.ApiClient;
import dev.plinto.ApiTestSupport;
import dev.plinto.audit.AuditEvent;
import dev.plinto.audit.AuditRepository;
import dev.plinto.mfa.MfaSteps;
import dev.plinto.web.ClientInfo;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Backend API's operations endpoints through the real server: signing keys (list, rotate, withdraw), the audit
 * log's search and JSON Lines export, the statistics and the capacity plan, each with its scope.
 */
class AdminOpsApiTests extends ApiTestSupport {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@Autowired
	private ApiKeys apiKeys;

	@Autowired
	private AuditRepository auditRepository;

	@Autowired
	private dev.plinto.audit.AuditLog audit;

	@Autowired
	private JdbcClient jdbc;

	private ApiKeys.WithSecret newKey(String... scopes) {
		return apiKeys.create("ops test " + UUID.randomUUID(), List.of(scopes), null, "test", ClientInfo.none());
	}

	private String key(String... scopes) {
		return newKey(scopes).secret();
	}

	private static void assertRefused(ApiClient.Response r, String scope) {
		assertThat(r.status()).as(r.toString()).isEqualTo(403);
		assertThat(r.code()).isEqualTo("insufficient_scope");
		assertThat(r.header("Content-Type")).startsWith("application/problem+json");
		assertThat(r.header("WWW-Authenticate")).contains("error=\"insufficient_scope\"")
			.contains("scope=\"" + scope + "\"");
	}

	private long audited(String type, String actor, String detailPart) {
		return jdbc.sql("select count(*) from audit_events where type = :type and actor_id = :actor and detail like :d")
			.param("type", type)
			.param("actor", actor)
			.param("d", "%" + detailPart + "%")
			.query(Long.class)
			.single();
	}

	// --- signing keys ----------------------------------------------------------------------------------------------

	private JsonNode keys(String secret) {
		ApiClient.Response r = api.get("/v1/admin/keys", secret);
		assertThat(r.status()).as(r.toString()).isEqualTo(200);
		return r.json().get("data");
	}

	private static String stateOf(JsonNode keys, String kid) {
		for (JsonNode k : keys) {
			if (k.get("kid").asString().equals(kid)) {
				return k.get("state").asString();
			}
		}
		return null;
	}

	private static String signingKid(JsonNode keys) {
		List<String> signing = new ArrayList<>();
		keys.forEach(k -> {
			if (k.get("state").asString().equals("signing")) {
				signing.add(k.get("kid").asString());
			}
		});
		assertThat(signing).as("exactly one key signs").hasSize(1);
		return signing.get(0);
	}

	/** The {@code kid} of a JWT's header. */
	private static String kid(String jwt) {
		return JSON.readTree(java.util.Base64.getUrlDecoder().decode(jwt.split("\\.")[0])).get("kid").asString();
	}

	private Set<String> jwksKids() {
		Set<String> kids = new HashSet<>();
		api.get("/.well-known/jwks.json").json().get("keys").forEach(k -> kids.add(k.get("kid").asString()));
		return kids;
	}

	@Test
	void keysWhenListedThenEveryKeyWithItsStateNewestFirstAndNoPrivateMaterial() {
		ApiClient.Response r = api.get("/v1/admin/keys", key("keys:read"));
		assertThat(r.status()).as(r.toString()).isEqualTo(200);
		JsonNode keys = r.json().get("data");
		assertThat(keys.size()).isPositive();
		String signing = signingKid(keys);
		String token = signUp(newEmail()).text("access_token");
		assertThat(kid(token)).as("the signing key signs new tokens")
			.isEqualTo(signing);
		Set<String> published = new HashSet<>();
		Instant previous = null;
		for (JsonNode k : keys) {
			assertThat(k.propertyNames()).containsExactlyInAnyOrder("kid", "algorithm", "created_at", "signs_from",
					"state");
			assertThat(k.get("state").asString()).isIn("signing", "next", "retiring", "retired");
			assertThat(k.get("algorithm").asString()).isIn("RS256", "ES256", "EdDSA");
			Instant created = Instant.parse(k.get("created_at").asString());
			if (previous != null) {
				assertThat(created).as("newest first").isBeforeOrEqualTo(previous);
			}
			previous = created;
			if (!k.get("state").asString().equals("retired")) {
				published.add(k.get("kid").asString());
			}
		}
		assertThat(published).as("signing, next and retiring keys are the JWKS").isEqualTo(jwksKids());
		assertThat(r.raw()).doesNotContain("\"d\"").doesNotContain("\"p\"").doesNotContainIgnoringCase("private");
	}

	@Test
	void rotateWhenScheduledThenNextKeyPublishedAuditedWithTheApiKeyAndWithdrawableWhileNext() {
		ApiKeys.WithSecret writer = newKey("keys:read", "keys:write");
		String signingBefore = signingKid(keys(writer.secret()));

		ApiClient.Response r = api.post("/v1/admin/keys/rotate", Map.of(), writer.secret());
		assertThat(r.status()).as(r.toString()).isEqualTo(201);
		String kid = r.text("kid");
		assertThat(r.text("state")).isEqualTo("next");
		assertThat(Instant.parse(r.text("signs_from"))).isAfter(Instant.parse(r.text("created_at")));
		JsonNode keys = keys(writer.secret());
		assertThat(stateOf(keys, kid)).isEqualTo("next");
		assertThat(signingKid(keys)).as("the old key signs until the new one activates").isEqualTo(signingBefore);
		assertThat(jwksKids()).as("published at once").contains(kid);
		assertThat(audited("KEY_ROTATED", writer.key().id(), kid)).isEqualTo(1);

		ApiClient.Response withdrawn = api.post("/v1/admin/keys/" + kid + "/withdraw", "", writer.secret());
		assertThat(withdrawn.status()).as(withdrawn.toString()).isEqualTo(200);
		assertThat(withdrawn.json().get("withdrawn").get("kid").asString()).isEqualTo(kid);
		assertThat(withdrawn.json().get("withdrawn").get("state").asString()).isEqualTo("retired");
		assertThat(withdrawn.json().get("replacement").isNull()).as("it did not sign: nothing replaces it").isTrue();
		assertThat(stateOf(keys(writer.secret()), kid)).as("deleted").isNull();
		assertThat(jwksKids()).doesNotContain(kid);
		assertThat(signingKid(keys(writer.secret()))).isEqualTo(signingBefore);
		assertThat(audited("KEY_WITHDRAWN", writer.key().id(), kid)).isEqualTo(1);
	}

	@Test
	void rotateWhenImmediateThenNewKeySignsAtOnceAndOldOneRetires() {
		ApiKeys.WithSecret writer = newKey("keys:read", "keys:write");
		String before = signingKid(keys(writer.secret()));
		clock.advance(Duration.ofSeconds(1)); // the new key activates after the current one, as in real time

		ApiClient.Response r = api.post("/v1/admin/keys/rotate", Map.of("immediate", true), writer.secret());
		assertThat(r.status()).as(r.toString()).isEqualTo(201);
		String kid = r.text("kid");
		assertThat(r.text("state")).isEqualTo("signing");
		JsonNode keys = keys(writer.secret());
		assertThat(signingKid(keys)).isEqualTo(kid);
		assertThat(stateOf(keys, before)).as("published until its tokens expire").isEqualTo("retiring");
		String token = signUp(newEmail()).text("access_token");
		assertThat(kid(token)).isEqualTo(kid);
		assertThat(audited("KEY_ROTATED", writer.key().id(), kid)).isEqualTo(1);
	}

	@Test
	void withdrawWhenSigningKeyThenReplacedAtOnceAndItsTokensRefused() {
		ApiKeys.WithSecret writer = newKey("keys:read", "keys:write");
		String signing = signingKid(keys(writer.secret()));
		String token = signUp(newEmail()).text("access_token");
		assertThat(api.get("/v1/me", token).status()).isEqualTo(200);
		clock.advance(Duration.ofSeconds(1)); // the replacement activates after the current key, as in real time

		ApiClient.Response r = api.post("/v1/admin/keys/" + signing + "/withdraw", "", writer.secret());
		assertThat(r.status()).as(r.toString()).isEqualTo(200);
		String replacement = r.json().get("replacement").get("kid").asString();
		assertThat(r.json().get("replacement").get("state").asString()).isEqualTo("signing");
		JsonNode keys = keys(writer.secret());
		assertThat(stateOf(keys, signing)).isNull();
		assertThat(signingKid(keys)).isEqualTo(replacement);
		assertThat(api.get("/v1/me", token).status()).as("a token of the withdrawn key").isEqualTo(401);
		assertThat(audited("KEY_WITHDRAWN", writer.key().id(), signing)).isEqualTo(1);
		assertThat(audited("KEY_ROTATED", writer.key().id(), replacement)).isEqualTo(1);
	}

	@Test
	void withdrawWhenUnknownKidThenNotFoundProblem() {
		ApiClient.Response r = api.post("/v1/admin/keys/key_doesnotexist/withdraw", "", key("keys:write"));
		assertThat(r.status()).as(r.toString()).isEqualTo(404);
		assertThat(r.code()).isEqualTo("not_found");
		assertThat(r.header("Content-Type")).startsWith("application/problem+json");
	}

	@Test
	void keysWhenKeyLacksTheScopeThenInsufficientScopeAndNothingChanges() {
		String reader = key("keys:read");
		int before = keys(reader).size();
		String signing = signingKid(keys(reader));
		assertRefused(api.post("/v1/admin/keys/rotate", Map.of(), reader), "keys:write");
		assertRefused(api.post("/v1/admin/keys/" + signing + "/withdraw", "", reader), "keys:write");
		assertThat(keys(reader).size()).isEqualTo(before);
		assertThat(signingKid(keys(reader))).isEqualTo(signing);

		String writer = key("keys:write");
		assertRefused(api.get("/v1/admin/keys", writer), "keys:read");
		assertRefused(api.get("/v1/admin/keys", key("users:read", "users:write", "audit:read", "stats:read")),
				"keys:read");
		assertRefused(api.post("/v1/admin/keys/rotate", Map.of(), key("keys:read", "users:write")), "keys:write");
	}

	@Test
	void rotateWhenBodyHasUnknownFieldThenValidationFailed() {
		ApiClient.Response r = api.post("/v1/admin/keys/rotate", Map.of("immediately", true), key("keys:write"));
		assertThat(r.status()).as(r.toString()).isEqualTo(400);
		assertThat(r.code()).isEqualTo("validation_failed");
	}

	// --- audit log -------------------------------------------------------------------------------------------------

	/** Events of a new subject at chosen times: written as the features write them, through the repository. */
	private record Fixture(String user, String ip, String organization, Instant t0, List<AuditEvent> events) {
	}

	private Fixture fixture() {
		String user = "usr_" + UUID.randomUUID().toString().replace("-", "");
		String other = "usr_" + UUID.randomUUID().toString().replace("-", "");
		String ip = "198.51.100." + (1 + (int) (Math.random() * 250));
		String org = "org_" + UUID.randomUUID().toString().replace("-", "");
		Instant t0 = Instant.parse("2025-03-01T10:00:00Z").plus(Duration.ofMinutes((long) (Math.random() * 100_000)));
		List<AuditEvent> events = List.of(
				event(AuditEvent.Type.SIGN_UP, t0, user, ip, null, null),
				event(AuditEvent.Type.SIGN_IN_SUCCEEDED, t0.plusSeconds(60), user, ip, null, null),
				event(AuditEvent.Type.SIGN_IN_FAILED, t0.plusSeconds(120), user, "203.0.113.9", null, null),
				event(AuditEvent.Type.MEMBER_ADDED, t0.plusSeconds(180), user, ip, org, null),
				// another user's event the user caused as the actor
				event(AuditEvent.Type.USER_UPDATED, t0.plusSeconds(240), other, ip, null, user),
				// same time as the previous one: the id orders them
				event(AuditEvent.Type.SIGN_IN_FAILED, t0.plusSeconds(240), user, ip, null, null));
		events.forEach(auditRepository::insert);
		return new Fixture(user, ip, org, t0, events);
	}

	private static AuditEvent event(AuditEvent.Type type, Instant at, String user, String ip, String org,
			String actor) {
		return new AuditEvent("evt_" + UUID.randomUUID().toString().replace("-", ""), type,
				at.truncatedTo(ChronoUnit.MICROS), user, null, ip, "test agent", "fixture", org, actor);
	}

	/** The ids of events in the answer's order. */
	private static List<String> ids(JsonNode data) {
		List<String> ids = new ArrayList<>();
		data.forEach(e -> ids.add(e.get("id").asString()));
		return ids;
	}

	/** The ids of these events as the search orders them: newest first, then by id descending. */
	private static List<String> newestFirst(List<AuditEvent> events) {
		return events.stream()
			.sorted(Comparator.comparing(AuditEvent::occurredAt).thenComparing(AuditEvent::id).reversed())
			.map(AuditEvent::id)
			.toList();
	}

	private JsonNode search(String secret, String query) {
		ApiClient.Response r = api.get("/v1/admin/audit?" + query, secret);
		assertThat(r.status()).as(r.toString()).isEqualTo(200);
		return r.json();
	}

	private static String q(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

	@Test
	void auditSearchWhenFilteredThenOnlyMatchingEventsNewestFirst() {
		Fixture f = fixture();
		String reader = key("audit:read");
		List<AuditEvent> all = f.events();

		JsonNode byUser = search(reader, "user=" + f.user());
		assertThat(ids(byUser.get("data"))).as("the subject's events and the one the user caused as actor")
			.containsExactlyElementsOf(newestFirst(all));
		assertThat(byUser.get("next_cursor").isNull()).isTrue();
		JsonNode first = byUser.get("data").get(0);
		assertThat(first.propertyNames()).contains("id", "type", "occurred_at", "user_id", "session_id", "ip",
				"user_agent", "detail", "organization_id", "actor_id");

		assertThat(ids(search(reader, "user=" + f.user() + "&type=sign_in.failed").get("data")))
			.containsExactlyElementsOf(newestFirst(all.stream()
				.filter(e -> e.type() == AuditEvent.Type.SIGN_IN_FAILED)
				.toList()));
		// from is included, to is excluded
		Instant from = f.t0().plusSeconds(60);
		Instant to = f.t0().plusSeconds(240);
		assertThat(ids(search(reader, "user=" + f.user() + "&from=" + q(from.toString()) + "&to=" + q(to.toString()))
			.get("data"))).containsExactlyElementsOf(newestFirst(all.stream()
				.filter(e -> !e.occurredAt().isBefore(from) && e.occurredAt().isBefore(to))
				.toList()));
		assertThat(ids(search(reader, "user=" + f.user() + "&ip=" + f.ip()).get("data")))
			.containsExactlyElementsOf(newestFirst(all.stream().filter(e -> e.ip().equals(f.ip())).toList()));
		assertThat(ids(search(reader, "organization=" + f.organization()).get("data")))
			.containsExactly(all.get(3).id());
		assertThat(ids(search(reader, "user=" + f.user() + "&type=sign_up&ip=203.0.113.9").get("data")))
			.as("filters combine").isEmpty();
		// an RFC 3339 time with an offset is the same instant
		assertThat(ids(search(reader, "user=" + f.user() + "&to="
				+ q(java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(f.t0().plusSeconds(60)
					.atOffset(ZoneOffset.ofHours(2))))).get("data")))
			.containsExactly(all.get(0).id());
	}

	@Test
	void auditSearchWhenUserGivenByEmailThenTheirEventsIncludingThoseOverHttp() {
		String email = newEmail();
		String id = signUp(email).json().get("user").get("id").asString();
		signIn(email, "not the password");
		JsonNode data = search(key("audit:read"), "user=" + q(email.toUpperCase(java.util.Locale.ROOT))).get("data");
		List<String> types = new ArrayList<>();
		data.forEach(e -> {
			assertThat(e.get("user_id").asString()).isEqualTo(id);
			types.add(e.get("type").asString());
		});
		assertThat(types).containsExactlyInAnyOrder("sign_up", "sign_in.succeeded", "sign_in.failed");
	}

	@Test
	void auditSearchWhenPagedThenTheCursorWalksEveryEventOnceInOrder() {
		Fixture f = fixture();
		String reader = key("audit:read");
		List<String> seen = new ArrayList<>();
		String cursor = null;
		int pages = 0;
		do {
			JsonNode page = search(reader, "user=" + f.user() + "&limit=4" + (cursor == null ? "" : "&cursor=" + q(cursor)));
			assertThat(page.get("data").size()).isLessThanOrEqualTo(4);
			seen.addAll(ids(page.get("data")));
			cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asString();
			pages++;
		}
		while (cursor != null && pages < 10);
		assertThat(pages).isEqualTo(2);
		assertThat(seen).containsExactlyElementsOf(newestFirst(f.events()));
	}

	@Test
	void auditSearchWhenParametersAreInvalidThenValidationFailedNamingThem() {
		String reader = key("audit:read");
		Map<String, String> bad = Map.of("from=yesterday", "from", "to=2026-13-01T00:00:00Z", "to",
				"type=sign_in.maybe", "type", "limit=0", "limit", "limit=101", "limit", "cursor=forged", "cursor",
				"cursor=" + q(java.util.Base64.getUrlEncoder().withoutPadding()
					.encodeToString("2026-01-01T00:00:00Z|' or 1=1".getBytes(StandardCharsets.UTF_8))), "cursor");
		bad.forEach((query, field) -> {
			ApiClient.Response r = api.get("/v1/admin/audit?" + query, reader);
			assertThat(r.status()).as(query + " " + r).isEqualTo(400);
			assertThat(r.code()).isEqualTo("validation_failed");
			assertThat(r.json().get("errors").get(0).get("field").asString()).as(query).isEqualTo(field);
		});
		ApiClient.Response export = api.get("/v1/admin/audit/export?from=yesterday", reader);
		assertThat(export.status()).as(export.toString()).isEqualTo(400);
		assertThat(export.header("Content-Type")).startsWith("application/problem+json");
		assertThat(export.code()).isEqualTo("validation_failed");
	}

	/** The export's answer: status, headers and lines (ApiClient reads JSON bodies as one document). */
	private record Lines(int status, java.net.http.HttpHeaders headers, List<String> lines) {
	}

	private Lines export(String secret, String query) {
		try {
			HttpResponse<String> r = HttpClient.newHttpClient()
				.send(HttpRequest.newBuilder(URI.create(api.base() + "/v1/admin/audit/export?" + query))
					.header("Authorization", "Bearer " + secret)
					.timeout(Duration.ofSeconds(60))
					.build(), HttpResponse.BodyHandlers.ofString());
			return new Lines(r.statusCode(), r.headers(), r.body().isEmpty() ? List.of() : List.of(r.body().split("\n", -1)));
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(e);
		}
	}

	@Test
	void exportWhenFilteredThenJsonLinesNewestFirstNotStoredAndAuditedAsExport() {
		Fixture f = fixture();
		ApiKeys.WithSecret reader = newKey("audit:read");
		Lines r = export(reader.secret(), "user=" + f.user() + "&ip=" + f.ip());
		assertThat(r.status()).isEqualTo(200);
		assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/x-ndjson");
		assertThat(r.headers().firstValue("Cache-Control").orElse("")).contains("no-store");
		assertThat(r.lines().get(r.lines().size() - 1)).as("every line ends with a newline").isEmpty();
		List<String> lines = r.lines().subList(0, r.lines().size() - 1);
		List<String> ids = new ArrayList<>();
		for (String line : lines) {
			JsonNode e = JSON.readTree(line);
			assertThat(e.isObject()).isTrue();
			assertThat(line).doesNotContain("\n");
			ids.add(e.get("id").asString());
		}
		assertThat(ids).as("the same events as the search, in its order")
			.containsExactlyElementsOf(newestFirst(f.events().stream().filter(e -> e.ip().equals(f.ip())).toList()));
		JsonNode searched = search(reader.secret(), "user=" + f.user() + "&ip=" + f.ip()).get("data").get(0);
		assertThat(JSON.readTree(lines.get(0))).as("each line is the search's event").isEqualTo(searched);
		assertThat(audited("AUDIT_EXPORTED", reader.key().id(), "user=" + f.user() + " ip=" + f.ip())).isEqualTo(1);

		// the export's own event, found by the key as actor: the newest line
		clock.advance(Duration.ofSeconds(1)); // after the first export, as in real time
		Lines own = export(reader.secret(), "user=" + reader.key().id());
		JsonNode newest = JSON.readTree(own.lines().get(0));
		assertThat(newest.get("type").asString()).isEqualTo("audit.exported");
		assertThat(newest.get("actor_id").asString()).isEqualTo(reader.key().id());
		assertThat(newest.get("detail").asString()).isEqualTo("user=" + reader.key().id());
	}

	@Test
	void exportWhenMoreEventsThanOneBatchThenEveryEventOnceNewestFirst() {
		String user = "usr_" + UUID.randomUUID().toString().replace("-", "");
		Instant base = Instant.parse("2024-06-01T00:00:00Z");
		int count = DashboardAuditSearch.EXPORT_BATCH * 2 + 17;
		List<AuditEvent> events = IntStream.range(0, count)
			// groups of three share a time, so batches end inside a group of equal times too
			.mapToObj(i -> event(AuditEvent.Type.SIGN_IN_SUCCEEDED, base.plusSeconds(i / 3), user, "192.0.2.1", null,
					null))
			.toList();
		events.forEach(auditRepository::insert);
		Lines r = export(key("audit:read"), "user=" + user);
		assertThat(r.status()).isEqualTo(200);
		List<String> ids = new ArrayList<>();
		r.lines().stream().filter(l -> !l.isEmpty()).forEach(l -> ids.add(JSON.readTree(l).get("id").asString()));
		assertThat(ids).hasSize(count).doesNotHaveDuplicates().containsExactlyElementsOf(newestFirst(events));
	}

	@Test
	void auditWhenKeyLacksAuditReadThenInsufficientScope() {
		String other = key("users:read", "users:write", "keys:read", "stats:read");
		assertRefused(api.get("/v1/admin/audit", other), "audit:read");
		assertRefused(api.get("/v1/admin/audit/export", other), "audit:read");
	}

	// --- statistics and capacity ----------------------------------------------------------------------------------

	private JsonNode stats(String secret, String query) {
		ApiClient.Response r = api.get("/v1/admin/stats" + query, secret);
		assertThat(r.status()).as(r.toString()).isEqualTo(200);
		return r.json();
	}

	private static long n(JsonNode node, String... path) {
		JsonNode n = node;
		for (String p : path) {
			n = n.get(p);
			if (n == null) {
				return 0;
			}
		}
		return n.asLong();
	}

	@Test
	void statsWhenAccountsSignUpInEachWayThenSignUpsByMethodCountEachAndAddUpToTheSignUps() {
		String reader = key("stats:read");
		JsonNode todayBefore = stats(reader, "?days=1").get("days").get(0);
		signUp(newEmail());
		// The sign_up events the other ways record, with their details: an emailed code or link (AccountService),
		// an invitation (InvitationService), a social provider and an organization's connection (FederatedSignIn),
		// SCIM provisioning (ScimUsers).
		for (String detail : List.of("email", "invitation inv_0stats", "google", "connection:conn_0stats",
				"scim conn_0stats")) {
			audit.record(AuditEvent.Type.SIGN_UP, "usr_" + UUID.randomUUID().toString().substring(0, 8), null,
					ClientInfo.none(), detail);
		}

		JsonNode today = stats(reader, "?days=1").get("days").get(0);
		for (String method : List.of("password", "email", "invitation", "social", "enterprise", "scim")) {
			assertThat(n(today, "sign_ups_by_method", method) - n(todayBefore, "sign_ups_by_method", method))
				.as(method).isEqualTo(1);
		}
		assertThat(n(today, "sign_ups") - n(todayBefore, "sign_ups")).isEqualTo(6);
		long byMethod = 0;
		for (JsonNode count : today.get("sign_ups_by_method")) {
			byMethod += count.asLong();
		}
		assertThat(byMethod).as("every sign-up has one method").isEqualTo(n(today, "sign_ups"));
	}

	@Test
	void statsWhenUsersSignUpSignInFailAndEnrolThenEveryNumberMovesByExactlyThat() {
		String reader = key("stats:read");
		JsonNode before = stats(reader, "?days=1");
		JsonNode todayBefore = before.get("days").get(0);

		String first = newEmail();
		String second = newEmail();
		signUp(first);
		String secondToken = signUp(second).text("access_token");
		assertThat(signIn(first, PASSWORD).status()).isEqualTo(200);
		assertThat(signIn(first, PASSWORD).status()).isEqualTo(200);
		assertThat(signIn(first, "wrong horse battery staple").status()).isEqualTo(401);
		assertThat(signIn(newEmail(), PASSWORD).status()).isEqualTo(401);
		MfaSteps.enrolTotp(api, secondToken, clock.instant());

		JsonNode after = stats(reader, "?days=1");
		JsonNode today = after.get("days").get(0);
		assertThat(today.get("date").asString()).isEqualTo(LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).toString());
		assertThat(n(today, "sign_ups") - n(todayBefore, "sign_ups")).isEqualTo(2);
		assertThat(n(today, "sign_ups_by_method", "password") - n(todayBefore, "sign_ups_by_method", "password"))
			.isEqualTo(2);
		assertThat(n(today, "new_users") - n(todayBefore, "new_users")).isEqualTo(2);
		assertThat(n(today, "sign_ins") - n(todayBefore, "sign_ins")).isEqualTo(4);
		assertThat(n(today, "sign_ins_by_method", "sign-up") - n(todayBefore, "sign_ins_by_method", "sign-up"))
			.isEqualTo(2);
		assertThat(n(today, "sign_ins_by_method", "password") - n(todayBefore, "sign_ins_by_method", "password"))
			.isEqualTo(2);
		assertThat(n(today, "failures") - n(todayBefore, "failures")).isEqualTo(2);
		assertThat(n(today, "failures_by_reason", "wrong password")
				- n(todayBefore, "failures_by_reason", "wrong password")).isEqualTo(1);
		assertThat(n(today, "failures_by_reason", "unknown account")
				- n(todayBefore, "failures_by_reason", "unknown account")).isEqualTo(1);
		for (String period : List.of("daily", "weekly", "monthly")) {
			assertThat(n(after, "active", period) - n(before, "active", period)).as(period).isEqualTo(2);
		}
		assertThat(n(after, "users") - n(before, "users")).isEqualTo(2);
		assertThat(n(after, "mfa", "users") - n(before, "mfa", "users")).isEqualTo(2);
		assertThat(n(after, "mfa", "with_second_factor") - n(before, "mfa", "with_second_factor")).isEqualTo(1);
		assertThat(after.get("mfa").get("percent").asDouble()).isEqualTo(
				Math.round(n(after, "mfa", "with_second_factor") * 1000.0 / n(after, "mfa", "users")) / 10.0);
		assertThat(n(after, "live_sessions") - n(before, "live_sessions")).as("two sign-ups, two sign-ins")
			.isEqualTo(4);
		assertThat(n(after, "live_sessions")).isEqualTo(jdbc.sql(
				"select count(*) from sessions where revoked_at is null and expires_at > :now")
			.param("now", java.sql.Timestamp.from(clock.instant()))
			.query(Long.class)
			.single());
	}

	@Test
	void statsWhenDaysGivenThenThatManyUtcDaysOldestFirstEndingToday() {
		String reader = key("stats:read");
		LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
		JsonNode week = stats(reader, "?days=7").get("days");
		assertThat(week.size()).isEqualTo(7);
		for (int i = 0; i < 7; i++) {
			assertThat(week.get(i).get("date").asString()).isEqualTo(today.minusDays(6 - i).toString());
		}
		assertThat(stats(reader, "").get("days").size()).isEqualTo(DashboardStats.DAYS);
		assertThat(stats(reader, "?days=" + DashboardStats.MAX_DAYS).get("days").size())
			.isEqualTo(DashboardStats.MAX_DAYS);
		for (String bad : List.of("0", "-1", String.valueOf(DashboardStats.MAX_DAYS + 1), "week", "")) {
			ApiClient.Response r = api.get("/v1/admin/stats?days=" + bad, reader);
			assertThat(r.status()).as(bad + " " + r).isEqualTo(400);
			assertThat(r.code()).isEqualTo("validation_failed");
			assertThat(r.json().get("errors").get(0).get("field").asString()).isEqualTo("days");
		}
	}

	@Test
	void capacityWhenCalledThenPlanForTheMeasuredUsersFromThePriceFile() throws IOException {
		String reader = key("stats:read");
		JsonNode prices;
		try (InputStream in = getClass().getResourceAsStream("/capacity/prices.json")) {
			prices = JSON.readTree(in);
		}
		JsonNode before = api.get("/v1/admin/capacity", reader).json();
		signUp(newEmail());
		signUp(newEmail());
		ApiClient.Response r = api.get("/v1/admin/capacity", reader);
		assertThat(r.status()).as(r.toString()).isEqualTo(200);
		JsonNode measured = r.json().get("measured");
		JsonNode plan = r.json().get("plan");
		assertThat(n(measured, "daily") - n(before, "measured", "daily")).as("two new active users").isEqualTo(2);
		assertThat(n(measured, "monthly") - n(before, "measured", "monthly")).isEqualTo(2);
		JsonNode stats = stats(reader, "?days=1").get("active");
		assertThat(measured).as("the same measurement as the statistics").isEqualTo(stats);

		long dau = n(measured, "daily");
		long mau = n(measured, "monthly");
		assertThat(n(plan, "dau")).isEqualTo(Math.max(1, dau));
		assertThat(n(plan, "mau")).isEqualTo(mau);
		assertThat(plan.get("prices_as_of").asString()).isEqualTo(prices.get("as_of").asString());
		JsonNode tier = null;
		for (JsonNode t : prices.get("tiers")) {
			if (t.get("max_dau").isNull() || t.get("max_dau").asLong() >= Math.max(1, dau)) {
				tier = t;
				break;
			}
		}
		assertThat(plan.get("tier").asString()).isEqualTo(tier.get("name").asString());
		assertThat(plan.get("tier_shape").asString()).isEqualTo(tier.get("shape").asString());
		assertThat(n(plan, "tier_usd_min")).isEqualTo(tier.get("monthly_usd_min").asLong());
		assertThat(n(plan, "processes")).isPositive();
		assertThat(n(plan, "self_hosted_usd_min")).isPositive().isLessThanOrEqualTo(n(plan, "self_hosted_usd_max"));
		if (mau <= prices.get("clerk").get("free_up_to").asLong()) {
			assertThat(plan.get("clerk_monthly_usd").decimalValue()).isZero();
		}
		if (mau <= prices.get("auth0").get("free_up_to").asLong()) {
			assertThat(plan.get("auth0_monthly_usd").decimalValue()).isZero();
		}
		assertThat(plan.get("clerk_source").asString()).isEqualTo(prices.get("clerk").get("source").asString());
		assertThat(plan.get("throughput_source").asString()).isNotBlank();
	}

	@Test
	void statsAndCapacityWhenKeyLacksStatsReadThenInsufficientScope() {
		String other = key("users:read", "audit:read", "keys:read", "settings:read");
		assertRefused(api.get("/v1/admin/stats", other), "stats:read");
		assertRefused(api.get("/v1/admin/capacity", other), "stats:read");
	}
}
