package dev.plinto.oidc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A browser without a browser for the provider's tests: keeps cookies by name (one origin), never follows redirects
 * by itself, and posts forms with the CSRF token of the last page it read. Also the HTTP client of a relying party
 * (form posts with or without Basic authentication).
 */
final class Browser {

	private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

	private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

	private final String base;

	final Map<String, String> cookies = new LinkedHashMap<>();

	String csrf;

	Browser(String base) {
		this.base = base;
	}

	/** GET of a path or of an absolute URL on the server. */
	HttpResponse<String> get(String pathOrUrl, String... headers) {
		return send(HttpRequest.newBuilder(uri(pathOrUrl)).GET(), headers);
	}

	/** A form post with the last CSRF token (unless the fields carry one) and the server's Origin. */
	HttpResponse<String> post(String path, Map<String, ?> fields) {
		Map<String, Object> all = new LinkedHashMap<>(fields);
		if (csrf != null) {
			all.putIfAbsent("_csrf", csrf);
		}
		return postRaw(path, all, "Origin", base);
	}

	/** A form post as given; a field whose value is a list is sent once per element. */
	HttpResponse<String> postRaw(String path, Map<String, ?> fields, String... headers) {
		String body = fields.entrySet().stream().flatMap(e -> {
			List<?> values = e.getValue() instanceof List<?> list ? list : List.of(e.getValue());
			return values.stream().map(v -> encode(e.getKey()) + "=" + encode(String.valueOf(v)));
		}).collect(Collectors.joining("&"));
		HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(body));
		return send(request, headers);
	}

	/** A post of a JSON body. */
	HttpResponse<String> postJson(String path, String json, String... headers) {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json));
		return send(request, headers);
	}

	/** Follows redirects on this server (relative or absolute) until an answer that is not one, or another host. */
	HttpResponse<String> follow(HttpResponse<String> response) {
		HttpResponse<String> current = response;
		for (int i = 0; i < 10 && isRedirect(current); i++) {
			String location = location(current);
			if (location.startsWith("http") && !location.startsWith(base)) {
				return current;
			}
			current = get(location);
		}
		return current;
	}

	static boolean isRedirect(HttpResponse<String> response) {
		return response.statusCode() / 100 == 3;
	}

	static String location(HttpResponse<String> response) {
		return response.headers().firstValue("Location").orElse("");
	}

	/** A query parameter of a URL, decoded. */
	static String param(String url, String name) {
		String query = URI.create(url).getRawQuery();
		if (query == null) {
			return null;
		}
		for (String pair : query.split("&")) {
			int eq = pair.indexOf('=');
			String key = eq < 0 ? pair : pair.substring(0, eq);
			if (key.equals(name)) {
				return eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
			}
		}
		return null;
	}

	static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

	private URI uri(String pathOrUrl) {
		return URI.create(pathOrUrl.startsWith("http") ? pathOrUrl : base + pathOrUrl);
	}

	private HttpResponse<String> send(HttpRequest.Builder request, String... headers) {
		for (int i = 0; i + 1 < headers.length; i += 2) {
			request.header(headers[i], headers[i + 1]);
		}
		if (!cookies.isEmpty()) {
			request.header("Cookie", cookies.entrySet()
				.stream()
				.map(e -> e.getKey() + "=" + e.getValue())
				.collect(Collectors.joining("; ")));
		}
		try {
			HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
			for (String header : response.headers().allValues("Set-Cookie")) {
				String pair = header.split(";", 2)[0];
				String name = pair.substring(0, pair.indexOf('='));
				String value = pair.substring(pair.indexOf('=') + 1);
				if (value.isEmpty() || header.contains("Max-Age=0")) {
					cookies.remove(name);
				}
				else {
					cookies.put(name, value);
				}
			}
			Matcher m = CSRF.matcher(response.body());
			if (m.find()) {
				csrf = m.group(1);
			}
			return response;
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(e);
		}
	}
}
