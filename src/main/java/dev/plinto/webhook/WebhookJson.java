package dev.plinto.webhook;

import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON of webhook payloads: snake_case like the API, instants as ISO-8601 text. A mapper of its own, so the
 * payloads' form is the webhook contract's and does not change with the HTTP layer's settings.
 */
final class WebhookJson {

	static final JsonMapper MAPPER = JsonMapper.builder()
		.propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
		.build();

	private WebhookJson() {
	}
}
