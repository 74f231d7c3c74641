package dev.plinto.cli;

import dev.plinto.config.PlintoSettings;
import dev.plinto.web.ApiException;
import dev.plinto.web.ClientInfo;
import dev.plinto.webhook.WebhookEventType;
import dev.plinto.webhook.WebhookService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code plinto webhooks …}: webhook endpoints, their secrets, their delivery log and replays (docs/webhooks.md).
 * Each sub-command is a thin shell over {@link WebhookService}, as the Backend API's {@code /v1/admin/webhooks} and
 * the dashboard's webhook pages are; a refused request prints the service's sentence and exits 1.
 */
@Command(name = "webhooks", mixinStandardHelpOptions = true,
		description = "Manage webhook endpoints: add, list, change, disable, rotate secrets, see deliveries, replay.",
		subcommands = { WebhooksCommand.Add.class, WebhooksCommand.ListEndpoints.class, WebhooksCommand.Update.class,
				WebhooksCommand.Disable.class, WebhooksCommand.Enable.class, WebhooksCommand.Remove.class,
				WebhooksCommand.RotateSecret.class, WebhooksCommand.Deliveries.class, WebhooksCommand.Replay.class,
				HelpCommand.class })
final class WebhooksCommand {

	private static final String EVENTS = "Comma-separated event types, e.g. user.created,session.revoked (default: "
			+ "every type); docs/webhooks.md lists the types.";

	/** Runs {@code action} with the service in the tools' context; a refused request prints its sentence. */
	private static int withService(Function<WebhookService, Integer> action) {
		try (ConfigurableApplicationContext context = PlintoCommand.context()) {
			try {
				return action.apply(context.getBean(WebhookService.class));
			}
			catch (ApiException e) {
				System.err.println(e.getMessage());
				return 1;
			}
		}
	}

	private static List<String> types(List<WebhookEventType> types) {
		return types == null ? null : types.stream().map(WebhookEventType::wireName).toList();
	}

	private static void printEndpoint(WebhookService.WebhookEndpoint e) {
		System.out.println(e.id() + "  " + state(e) + "  " + e.url());
		System.out.println("  events: " + (e.eventTypes().isEmpty() ? "all" : String.join(", ", e.eventTypes())));
		if (e.description() != null) {
			System.out.println("  description: " + e.description());
		}
	}

	private static String state(WebhookService.WebhookEndpoint e) {
		return e.enabled() ? (e.failingSince() == null ? "enabled" : "enabled (failing since "
				+ KeysCommand.seconds(e.failingSince()) + ")") : "disabled (" + e.disabledReason() + ")";
	}

	private static void printSecret(String secret) {
		System.out.println("Signing secret (shown only this once; give it to the receiver): " + secret);
	}

	@Command(name = "add", mixinStandardHelpOptions = true,
			description = "Add an endpoint and print its signing secret. The URL must be https unless "
					+ "PLINTO_WEBHOOKS_ALLOW_HTTP=true.")
	static final class Add implements Callable<Integer> {

		@Parameters(paramLabel = "URL", description = "Where events are POSTed, e.g. https://app.example.com/webhooks.")
		String url;

		@Option(names = "--description", description = "A note for operators, e.g. the receiving app.")
		String description;

		@Option(names = "--events", split = ",", paramLabel = "TYPE", description = EVENTS,
				converter = EventTypeConverter.class)
		List<WebhookEventType> events;

		@Override
		public Integer call() {
			return withService(service -> {
				WebhookService.WithSecret created = service.create(url, description, types(events), ClientInfo.none());
				printEndpoint(created.endpoint());
				printSecret(created.secret());
				return 0;
			});
		}
	}

	@Command(name = "list", mixinStandardHelpOptions = true,
			description = "List endpoints: id, state, subscribed event types and URL.")
	static final class ListEndpoints implements Callable<Integer> {

		@Override
		public Integer call() {
			return withService(service -> {
				List<List<String>> rows = new ArrayList<>();
				rows.add(List.of("ID", "STATE", "EVENTS", "URL"));
				for (WebhookService.WebhookEndpoint e : service.list()) {
					rows.add(List.of(e.id(), e.enabled() ? "enabled" : "disabled",
							e.eventTypes().isEmpty() ? "all" : String.join(",", e.eventTypes()), e.url()));
				}
				KeysCommand.table(rows).forEach(System.out::println);
				return 0;
			});
		}
	}

	@Command(name = "update", mixinStandardHelpOptions = true,
			description = "Change an endpoint's URL, description or event types; what is not given stays.")
	static final class Update implements Callable<Integer> {

		@Parameters(paramLabel = "ID", description = "The endpoint, as `webhooks list` shows it.")
		String id;

		@Option(names = "--url", description = "The new URL.")
		String url;

		@Option(names = "--description", description = "The new description; an empty one clears it.")
		String description;

		@ArgGroup(exclusive = true)
		Types types;

		static final class Types {

			@Option(names = "--events", split = ",", paramLabel = "TYPE", description = EVENTS,
					converter = EventTypeConverter.class)
			List<WebhookEventType> events;

			@Option(names = "--all-events", description = "Subscribe to every event type.")
			boolean all;
		}

		@Override
		public Integer call() {
			List<String> newTypes = types == null ? null : types.all ? List.of() : types(types.events);
			return withService(service -> {
				printEndpoint(service.update(id, url, description, newTypes, ClientInfo.none()));
				return 0;
			});
		}
	}

	@Command(name = "disable", mixinStandardHelpOptions = true,
			description = "Stop sending to an endpoint; its pending deliveries are marked failed (replay them after "
					+ "`enable`).")
	static final class Disable implements Callable<Integer> {

		@Parameters(paramLabel = "ID", description = "The endpoint.")
		String id;

		@Override
		public Integer call() {
			return withService(service -> {
				printEndpoint(service.disable(id, ClientInfo.none()));
				return 0;
			});
		}
	}

	@Command(name = "enable", mixinStandardHelpOptions = true,
			description = "Send to an endpoint again (also one disabled for failing). Earlier failures are not sent "
					+ "by themselves: use `replay --since`.")
	static final class Enable implements Callable<Integer> {

		@Parameters(paramLabel = "ID", description = "The endpoint.")
		String id;

		@Override
		public Integer call() {
			return withService(service -> {
				printEndpoint(service.enable(id, ClientInfo.none()));
				return 0;
			});
		}
	}

	@Command(name = "remove", mixinStandardHelpOptions = true,
			description = "Delete an endpoint with its pending deliveries and its delivery log.")
	static final class Remove implements Callable<Integer> {

		@Parameters(paramLabel = "ID", description = "The endpoint.")
		String id;

		@Override
		public Integer call() {
			return withService(service -> {
				service.delete(id, ClientInfo.none());
				System.out.println("Removed webhook endpoint " + id + ".");
				return 0;
			});
		}
	}

	@Command(name = "rotate-secret", mixinStandardHelpOptions = true,
			description = "Give an endpoint a new signing secret. During the overlap every delivery carries a "
					+ "signature with the old and one with the new secret, so the receiver can switch without losing "
					+ "any.")
	static final class RotateSecret implements Callable<Integer> {

		@Parameters(paramLabel = "ID", description = "The endpoint.")
		String id;

		@Option(names = "--overlap", paramLabel = "DURATION",
				description = "How long the old secret still signs, e.g. 24h, or 0s for a leaked secret (default: "
						+ "PLINTO_WEBHOOKS_SECRET_OVERLAP).")
		String overlap;

		@Override
		public Integer call() {
			Duration keep = null;
			if (overlap != null) {
				keep = PlintoSettings.DurationFormat.parse(overlap);
				if (keep == null) {
					System.err.println("--overlap must be a duration such as 0s, 30m or 24h, not '" + overlap + "'.");
					return 2;
				}
			}
			Duration chosen = keep;
			return withService(service -> {
				WebhookService.WithSecret rotated = service.rotateSecret(id, chosen, ClientInfo.none());
				printEndpoint(rotated.endpoint());
				printSecret(rotated.secret());
				System.out.println(rotated.endpoint().previousSecretExpiresAt() == null
						? "The old secret no longer signs."
						: "The old secret also signs until " + KeysCommand.seconds(
								rotated.endpoint().previousSecretExpiresAt()) + ".");
				return 0;
			});
		}
	}

	@Command(name = "deliveries", mixinStandardHelpOptions = true,
			description = "Show an endpoint's delivery log, newest attempt first: event, outcome, HTTP status, "
					+ "latency and the start of the answer.")
	static final class Deliveries implements Callable<Integer> {

		@Parameters(paramLabel = "ID", description = "The endpoint.")
		String id;

		@Option(names = "--limit", defaultValue = "20", description = "How many attempts (default: ${DEFAULT-VALUE}).")
		int limit;

		@Override
		public Integer call() {
			return withService(service -> {
				List<List<String>> rows = new ArrayList<>();
				rows.add(List.of("ATTEMPTED", "EVENT", "TYPE", "OUTCOME", "STATUS", "MS", "DELIVERY", "ANSWER"));
				for (WebhookService.DeliveryAttempt a : service.attempts(id, limit)) {
					String answer = a.error() != null ? a.error() : a.response() == null ? "" : a.response();
					rows.add(List.of(KeysCommand.seconds(a.attemptedAt()), a.eventId(), a.eventType(), a.outcome(),
							a.statusCode() == null ? "-" : a.statusCode().toString(), Long.toString(a.latencyMs()),
							a.deliveryStatus(), answer.length() > 60 ? answer.substring(0, 60) + "…" : answer));
				}
				KeysCommand.table(rows).forEach(System.out::println);
				return 0;
			});
		}
	}

	@Command(name = "replay", mixinStandardHelpOptions = true,
			description = "Send one event to an endpoint again, or every delivery to it that failed since a time.")
	static final class Replay implements Callable<Integer> {

		@Parameters(paramLabel = "ID", description = "The endpoint.")
		String id;

		@ArgGroup(exclusive = true, multiplicity = "1")
		What what;

		static final class What {

			@Option(names = "--event", paramLabel = "MSG_ID",
					description = "The event's id (msg_…, the webhook-id header), as `deliveries` shows it.")
			String event;

			@Option(names = "--since", paramLabel = "TIME",
					description = "Replay the failed deliveries of events since this instant "
							+ "(2026-12-07T00:00:00Z) or this long ago (24h).")
			String since;
		}

		@Override
		public Integer call() {
			Instant from = null;
			if (what.since != null) {
				from = since(what.since);
				if (from == null) {
					System.err.println("--since must be an instant such as 2026-12-07T00:00:00Z or a duration such as "
							+ "24h, not '" + what.since + "'.");
					return 2;
				}
			}
			Instant chosen = from;
			return withService(service -> {
				if (chosen == null) {
					service.replay(id, what.event, ClientInfo.none());
					System.out.println("Queued " + what.event + " for " + id + " again.");
				}
				else {
					int count = service.replayFailed(id, chosen, ClientInfo.none());
					System.out.println("Queued " + count + " failed deliveries to " + id + " again.");
				}
				return 0;
			});
		}

		private static Instant since(String text) {
			try {
				return Instant.parse(text);
			}
			catch (DateTimeParseException e) {
				Duration ago = PlintoSettings.DurationFormat.parse(text);
				return ago == null ? null : Clock.systemUTC().instant().minus(ago);
			}
		}
	}

	/** An event type by its wire name, such as {@code user.created}. */
	static final class EventTypeConverter implements picocli.CommandLine.ITypeConverter<WebhookEventType> {

		@Override
		public WebhookEventType convert(String value) {
			return WebhookEventType.of(value.trim())
				.orElseThrow(() -> new picocli.CommandLine.TypeConversionException("there is no event type '" + value
						+ "'; the types are " + String.join(", ", Arrays.stream(WebhookEventType.values())
							.map(WebhookEventType::wireName)
							.toList())));
		}
	}
}
