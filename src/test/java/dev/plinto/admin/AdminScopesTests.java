package dev.plinto.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinto.ApiClient;
import dev.plinto.ApiTestSupport;
import dev.plinto.web.ClientInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * The scope of every Backend API route, table-driven: the routes the server maps under {@code /v1/admin} and the
 * scopes docs/api.md gives them are the same set, and for each route a key holding every scope but the documented
 * one is refused with 403 {@code insufficient_scope} naming that scope (RFC 6750 §3.1), before the controller runs;
 * a key with only that scope passes the check of a read. A new route fails here until it is documented with its
 * scope and the security configuration demands it.
 */
class AdminScopesTests extends ApiTestSupport {

	/** A row of the Backend API's tables in docs/api.md: "| `METHOD /v1/admin/…` … | `scope` |". */
	private static final Pattern ROW = Pattern
		.compile("^\\| `(GET|POST|PUT|PATCH|DELETE) (/v1/admin/[^`\\s]*)`[^|]*\\| `([a-z]+:[a-z]+)` \\|",
				Pattern.MULTILINE);

	@Autowired
	private ApiKeys apiKeys;

	@Autowired
	@Qualifier("requestMappingHandlerMapping")
	private RequestMappingHandlerMapping mappings;

	/** Every documented route, "METHOD /path", with its scope. */
	private static Map<String, String> documented() throws IOException {
		Map<String, String> routes = new TreeMap<>();
		Matcher m = ROW.matcher(Files.readString(Path.of("docs/api.md")));
		while (m.find()) {
			routes.put(m.group(1) + " " + m.group(2), m.group(3));
		}
		return routes;
	}

	/** Every route the server maps under /v1/admin, "METHOD /path". */
	private List<String> mapped() {
		return mappings.getHandlerMethods()
			.keySet()
			.stream()
			.flatMap(info -> info.getPatternValues()
				.stream()
				.filter(path -> path.startsWith("/v1/admin"))
				.flatMap(path -> methods(info).stream().map(method -> method + " " + path)))
			.sorted()
			.toList();
	}

	private static List<String> methods(RequestMappingInfo info) {
		return info.getMethodsCondition().getMethods().stream().map(Enum::name).toList();
	}

	private String keyWith(List<String> scopes) {
		return apiKeys.create("scopes " + UUID.randomUUID(), scopes, null, "test", ClientInfo.none()).secret();
	}

	private ApiClient.Response call(String route, String key) {
		String[] parts = route.split(" ", 2);
		String path = parts[1].replaceAll("\\{[^}]+\\}", "x");
		return switch (parts[0]) {
			case "GET" -> api.get(path, key);
			case "POST" -> api.post(path, Map.of(), key);
			case "PATCH" -> api.patch(path, Map.of(), key);
			case "PUT" -> api.put(path, Map.of(), key);
			case "DELETE" -> api.delete(path, key);
			default -> throw new IllegalArgumentException(route);
		};
	}

	@Test
	void routesWhenMappedThenEachIsDocumentedWithOneScope() throws IOException {
		assertThat(documented().keySet()).containsExactlyInAnyOrderElementsOf(mapped());
		assertThat(documented().values()).allSatisfy(scope -> assertThat(ApiKeyScope.of(scope)).isPresent());
	}

	@Test
	void routesWhenKeyHasEveryScopeButTheirsThenInsufficientScopeNamingIt() throws IOException {
		List<String> all = Arrays.stream(ApiKeyScope.values()).map(ApiKeyScope::wireName).toList();
		Map<String, String> keysWithout = new TreeMap<>();
		Map<String, String> keysWithOnly = new TreeMap<>();
		for (String scope : all) {
			keysWithout.put(scope, keyWith(all.stream().filter(s -> !s.equals(scope)).toList()));
			keysWithOnly.put(scope, keyWith(List.of(scope)));
		}
		SoftAssertions softly = new SoftAssertions();
		documented().forEach((route, scope) -> {
			ApiClient.Response refused = call(route, keysWithout.get(scope));
			softly.assertThat(refused.status()).as(route + " without " + scope + ": " + refused).isEqualTo(403);
			softly.assertThat(refused.code()).as(route).isEqualTo("insufficient_scope");
			softly.assertThat(refused.header("WWW-Authenticate")).as(route)
				.contains("error=\"insufficient_scope\"", "scope=\"" + scope + "\"");
			if (route.startsWith("GET ")) {
				ApiClient.Response allowed = call(route, keysWithOnly.get(scope));
				softly.assertThat(allowed.status()).as(route + " with only " + scope + ": " + allowed)
					.isNotIn(401, 403);
			}
		});
		softly.assertAll();
	}
}
