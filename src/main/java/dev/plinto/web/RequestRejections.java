package dev.plinto.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.Set;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.security.web.firewall.StrictHttpFirewall;
import org.springframework.stereotype.Component;

/**
 * The one place that answers a request Spring Security's {@link StrictHttpFirewall} refused, before any filter that
 * writes headers ran: a problem with the {@link SecurityHeaders} and a detail naming what was refused, never a
 * sentence about a body the request did not have.
 * <ul>
 * <li>A method the server does not implement at all ({@code PROPFIND}, {@code MKCOL}, an invented token) is 501
 * {@code method_not_implemented} with an {@code Allow} header listing the methods it does (RFC 9110 §9.1: "An
 * origin server that receives a request method that is unrecognized or not implemented SHOULD respond with the 501
 * status code"; §10.2.1 allows {@code Allow} on any response). A known method a route does not take stays 405 with
 * that route's {@code Allow}, from Spring MVC.</li>
 * <li>A path the firewall refuses is 400 {@code malformed_request} saying which kind of sequence was refused: a
 * {@code ;} (path parameters), an encoded {@code /}, {@code \}, {@code %} or {@code .}, an empty segment, a
 * {@code .} or {@code ..} segment, a control or non-ASCII character (OWASP Input Validation Cheat Sheet,
 * canonicalisation: identifiers here never contain them, and two spellings of one path could be routed and
 * authorised differently). A header or query parameter with characters the firewall refuses is named as such.</li>
 * </ul>
 * Nothing of the request is echoed; the sequences named come from the firewall's own fixed list.
 */
@Component
public final class RequestRejections implements RequestRejectedHandler {

	/** The methods the server implements; any other is refused by the firewall and answered 501. */
	public static final Set<HttpMethod> IMPLEMENTED_METHODS = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.POST,
			HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE, HttpMethod.OPTIONS);

	static final String ALLOW = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS";

	static final String PATH_REFUSED = "The request path contains characters that are not allowed: ";

	/** The firewall's refused sequences (StrictHttpFirewall's block lists), in words. */
	private static final Map<String, String> SEQUENCES = Map.ofEntries(Map.entry(";", "a ';' (path parameters)"),
			Map.entry("%3b", "an encoded ';' (%3B)"), Map.entry("%2f", "an encoded '/' (%2F)"),
			Map.entry("//", "an empty segment ('//')"), Map.entry("%25", "an encoded '%' (%25)"),
			Map.entry("%2e", "an encoded '.' (%2E)"), Map.entry("\\", "a backslash"),
			Map.entry("%5c", "an encoded backslash (%5C)"), Map.entry("\0", "a NUL character"),
			Map.entry("%00", "an encoded NUL character (%00)"), Map.entry("\n", "a line break"),
			Map.entry("\r", "a line break"), Map.entry("%0a", "an encoded line break (%0A)"),
			Map.entry("%0d", "an encoded line break (%0D)"), Map.entry("\u2028", "a line separator"),
			Map.entry("\u2029", "a paragraph separator"), Map.entry("%e2%80%a8", "an encoded line separator"),
			Map.entry("%e2%80%a9", "an encoded paragraph separator"));

	private final ProblemRenderer problems;

	private final SecurityHeaders headers;

	RequestRejections(ProblemRenderer problems, SecurityHeaders headers) {
		this.problems = problems;
		this.headers = headers;
	}

	/** The firewall, allowing exactly {@link #IMPLEMENTED_METHODS}; every other setting is the strict default. */
	public static StrictHttpFirewall firewall() {
		StrictHttpFirewall firewall = new StrictHttpFirewall();
		firewall.setAllowedHttpMethods(IMPLEMENTED_METHODS.stream().map(HttpMethod::name).toList());
		return firewall;
	}

	@Override
	public void handle(HttpServletRequest request, HttpServletResponse response, RequestRejectedException refused)
			throws IOException {
		if (response.isCommitted()) {
			return;
		}
		headers.write(response);
		if (!implemented(request.getMethod())) {
			response.setHeader(HttpHeaders.ALLOW, ALLOW);
			problems.write(response, ErrorCode.METHOD_NOT_IMPLEMENTED,
					"This server does not implement the request method; it implements " + ALLOW + ".");
			return;
		}
		problems.write(response, ErrorCode.MALFORMED_REQUEST, detail(refused.getMessage()));
	}

	static boolean implemented(String method) {
		return method != null && IMPLEMENTED_METHODS.stream().anyMatch(m -> m.name().equals(method));
	}

	/** What was refused, in words, from the firewall's message (its wording is Spring Security's, not the client's). */
	static String detail(String message) {
		String m = message == null ? "" : message;
		if (m.contains("header")) {
			return "A request header has a name or value with characters that are not allowed (control characters "
					+ "or characters outside ISO-8859-1); send only printable header text.";
		}
		if (m.contains("parameter")) {
			return "A query or form parameter has a name or value with characters that are not allowed (control "
					+ "characters); percent-encode the value as UTF-8 text.";
		}
		if (m.contains("not normalized")) {
			return PATH_REFUSED + "a '.' or '..' segment or an empty segment; send the canonical path.";
		}
		if (m.contains("printable ASCII")) {
			return PATH_REFUSED + "a control or non-ASCII character; percent-encode it.";
		}
		int quote = m.indexOf("String \"");
		if (quote >= 0 && m.endsWith("\"")) {
			String sequence = m.substring(quote + 8, m.length() - 1).toLowerCase(java.util.Locale.ROOT);
			String words = SEQUENCES.get(sequence);
			if (words != null) {
				return PATH_REFUSED + words + "; identifiers never contain it, so send the path without it.";
			}
		}
		return PATH_REFUSED + "a ';', an encoded '/', '\\', '%' or '.', an empty, '.' or '..' segment, or a control "
				+ "character; send the canonical path.";
	}
}
