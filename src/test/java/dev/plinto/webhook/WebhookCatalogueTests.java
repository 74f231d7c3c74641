package dev.plinto.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The catalogue is documented both ways: every event type has a section in docs/webhooks.md and a case in
 * docs/webhooks.schema.json, nothing is documented that is not sent, and every example payload in the guide is valid
 * against the schema.
 */
class WebhookCatalogueTests {

	private static final Pattern SECTION = Pattern.compile("(?m)^### `([a-z_.]+)`$");

	private static final Pattern EXAMPLE = Pattern.compile("(?s)```json\\n(\\{\\n  \"id\": \"msg_.*?)```");

	@Test
	void catalogueWhenDocumentedThenEveryTypeHasASectionAndASchemaCaseAndNothingElse() throws Exception {
		List<String> types = Arrays.stream(WebhookEventType.values()).map(WebhookEventType::wireName).toList();
		Matcher m = SECTION.matcher(Files.readString(Path.of("docs/webhooks.md")));
		List<String> sections = new ArrayList<>();
		while (m.find()) {
			sections.add(m.group(1));
		}
		assertThat(sections).containsExactlyInAnyOrderElementsOf(types);
		JsonNode schema = JsonMapper.builder().build().readTree(Files.readString(Path.of("docs/webhooks.schema.json")));
		List<String> inSchema = new ArrayList<>();
		schema.get("properties").get("type").get("enum").forEach(n -> inSchema.add(n.asString()));
		assertThat(inSchema).containsExactlyInAnyOrderElementsOf(types);
	}

	@Test
	void examplesWhenValidatedAgainstTheSchemaThenValidAndOnePerType() throws Exception {
		Matcher m = EXAMPLE.matcher(Files.readString(Path.of("docs/webhooks.md")));
		List<String> typesShown = new ArrayList<>();
		JsonMapper json = JsonMapper.builder().build();
		while (m.find()) {
			JsonNode example = json.readTree(m.group(1));
			assertThat(WebhookDeliveryTests.SCHEMA.validate(example)).as(m.group(1)).isEmpty();
			typesShown.add(example.get("type").asString());
		}
		assertThat(typesShown).containsExactlyInAnyOrderElementsOf(
				Arrays.stream(WebhookEventType.values()).map(WebhookEventType::wireName).toList());
	}

	@Test
	void schemaWhenAPayloadCarriesASecretFieldThenInvalid() throws Exception {
		JsonNode leaking = JsonMapper.builder().build().readTree("""
				{"id":"msg_2b7x9k4m1q8z3c6v0n5d2f7g1h","type":"user.created","timestamp":"2026-12-07T09:14:03Z",
				 "data":{"id":"usr_1","email":"a@example.com","email_verified":false,"name":null,
				 "created_at":"2026-12-07T09:14:03Z","password_hash":"$argon2id$…"}}""");
		assertThat(WebhookDeliveryTests.SCHEMA.validate(leaking)).isNotEmpty();
	}
}
