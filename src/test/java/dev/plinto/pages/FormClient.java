package dev.plinto.pages;

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
 * A browser without a browser, for HTTP-level tests of the pages: keeps cookies by name (path and domain ignored,
 * one origin), never follows redirects, and posts forms with the CSRF token of the last page it read unless told
 * otherwise.
 */
final class FormClient {

	private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

	private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

	private final String base;

	final Map<String, String> cookies = new LinkedHashMap<>();

	String csrf;

	FormClient(String base) {
		this.base = base;
	}

	HttpResponse<String> get(String path, String... headers) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).GET();
		return send(request, headers);
	}

	HttpResponse<String> options(String path, String... headers) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
			.method("OPTIONS", HttpRequest.BodyPublishers.noBody());
		return send(request, headers);
	}

	/** Posts a form with the CSRF token of the last page read and {@code Origin} of the server. */
	HttpResponse<String> post(String path, Map<String, String> fields) {
		Map<String, String> all = new LinkedHashMap<>(fields);
		if (csrf != null) {
			all.putIfAbsent("_csrf", csrf);
		}
		return postRaw(path, all, "Origin", base);
	}

	/** Posts an already encoded form body (e.g. a field that repeats) with the CSRF token and {@code Origin}. */
	HttpResponse<String> postEncoded(String path, String body) {
		String all = csrf == null ? body : body + "&_csrf=" + URLEncoder.encode(csrf, StandardCharsets.UTF_8);
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(all));
		return send(request, "Origin", base);
	}

	HttpResponse<String> postRaw(String path, Map<String, String> fields, String... headers) {
		String body = fields.entrySet()
			.stream()
			.map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
					+ URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
			.collect(Collectors.joining("&"));
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(body));
		return send(request, headers);
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

	/** The Set-Cookie header of a response for the named cookie. */
	static String setCookie(HttpResponse<String> response, String name) {
		List<String> all = response.headers().allValues("Set-Cookie");
		return all.stream().filter(h -> h.startsWith(name + "=")).findFirst().orElse(null);
	}
}
