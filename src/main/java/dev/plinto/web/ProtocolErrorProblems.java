package dev.plinto.web;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.Writer;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.Container;
import org.apache.catalina.Pipeline;
import org.apache.catalina.Valve;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.catalina.valves.ValveBase;
import org.apache.coyote.ActionCode;
import org.apache.tomcat.util.buf.ByteChunk;
import org.apache.tomcat.util.buf.MessageBytes;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import tools.jackson.databind.ObjectMapper;

/**
 * Answers the errors Tomcat produces on its own, before a request reaches Spring, with the same
 * {@code application/problem+json} as every other error instead of Tomcat's HTML page: a request line, header or
 * URL encoding that does not parse (400), an unsupported HTTP version (505) or transfer coding (501). Such requests
 * never pass the servlet filters, so this valve also sets the {@link SecurityHeaders} the filter chain would have
 * set and a fresh {@code X-Request-Id}.
 * <p>
 * It also refuses a request line whose parts are separated by a tab ({@link RequestLineValve}): Tomcat accepts
 * any whitespace there and has no setting to stop it, while RFC 9112 §3 says the separator is a single space, and
 * an intermediary that splits the line differently than the server is how requests get smuggled (RFC 9112 §11.2).
 * <p>
 * It replaces Tomcat's {@link ErrorReportValve} on the host (the one Spring Boot installs and the host's default),
 * so exactly one report is written. Nothing of the request or of Tomcat's message is echoed: the detail is fixed
 * text, and no server name or version is shown (OWASP Error Handling Cheat Sheet; OWASP ASVS V7.4.1, a generic
 * message without internals; RFC 9457 for the format).
 */
@Component
@ConditionalOnWebApplication
@Order(Ordered.LOWEST_PRECEDENCE)
final class ProtocolErrorProblems implements WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory> {

	private final ObjectMapper json;

	private final ProblemRenderer problems;

	private final SecurityHeaders headers;

	ProtocolErrorProblems(ObjectMapper json, ProblemRenderer problems, SecurityHeaders headers) {
		this.json = json;
		this.problems = problems;
		this.headers = headers;
	}

	/** A request attribute holding the detail of a refusal this class made itself, instead of the generic one. */
	static final String DETAIL = ProtocolErrorProblems.class.getName() + ".detail";

	static final String UNPARSEABLE = "The HTTP request could not be parsed: its request line, a header, or the URL's "
			+ "percent-encoding (an encoded '/', '\\' or NUL, or a '%' not followed by two hex digits) is not valid; "
			+ "send valid HTTP/1.1 with a canonical URL.";

	static final String TAB_IN_REQUEST_LINE = "The request line separates its parts with a tab; send the method, "
			+ "the target and the HTTP version separated by single spaces (RFC 9112, section 3).";

	@Override
	public void customize(ConfigurableTomcatWebServerFactory factory) {
		// Context customizers run in the order they were added; this one is added last (lowest precedence), after
		// Spring Boot's, which adds its own ErrorReportValve to the host.
		factory.addContextCustomizers(context -> install(context.getParent()));
	}

	private void install(Container host) {
		Pipeline pipeline = host.getPipeline();
		for (Valve valve : pipeline.getValves()) {
			if (valve instanceof ErrorReportValve && !(valve instanceof ProblemValve)) {
				pipeline.removeValve(valve);
			}
		}
		pipeline.addValve(new ProblemValve(json, problems, headers));
		pipeline.addValve(new RequestLineValve());
		if (host instanceof StandardHost standardHost) {
			// The host adds an instance of this class at start unless its pipeline already holds one.
			standardHost.setErrorReportValveClass(ProblemValve.class.getName());
		}
	}

	/** The problem for a status Tomcat set by itself: its stable code, title and a fixed detail. */
	static Map<String, Object> body(ProblemRenderer problems, int status, String requestId, String detail) {
		ErrorCode code = ErrorCode.forStatus(status);
		Map<String, Object> body = problems.body(code, detail != null ? detail : code == ErrorCode.MALFORMED_REQUEST
				? UNPARSEABLE
				: null, List.of());
		HttpStatus known = HttpStatus.resolve(status);
		if (code.status().value() != status && known != null) {
			body.put("title", known.getReasonPhrase()); // one code for 501 and 505
		}
		body.put("status", status);
		body.put("request_id", requestId); // no request filter ran, so there is no logging context to take it from
		return body;
	}

	/** The host's error report valve, writing a problem instead of an HTML page. */
	static final class ProblemValve extends ErrorReportValve {

		private final ObjectMapper json;

		private final ProblemRenderer problems;

		private final SecurityHeaders headers;

		ProblemValve(ObjectMapper json, ProblemRenderer problems, SecurityHeaders headers) {
			this.json = json;
			this.problems = problems;
			this.headers = headers;
			setShowReport(false);
			setShowServerInfo(false);
		}

		@Override
		protected void report(Request request, Response response, Throwable throwable) {
			int status = response.getStatus();
			// As Tomcat's own report: only for errors, only when nothing was written yet (Spring's error handling
			// writes a problem for everything that reaches the application), and only while the connection can
			// still carry an answer.
			if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
				return;
			}
			AtomicBoolean ioAllowed = new AtomicBoolean(false);
			response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
			if (!ioAllowed.get()) {
				return;
			}
			String requestId = response.getHeader(RequestIdFilter.HEADER);
			if (requestId == null) {
				requestId = UUID.randomUUID().toString();
				response.setHeader(RequestIdFilter.HEADER, requestId);
			}
			try {
				response.setContentType(ProblemRenderer.PROBLEM_JSON.toString());
				response.setCharacterEncoding("UTF-8");
				response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
				headers.write(response);
				Writer writer = response.getReporter();
				if (writer != null) {
					Object detail = request.getAttribute(DETAIL);
					writer.write(json.writeValueAsString(
							body(problems, status, requestId, detail instanceof String d ? d : null)));
					response.finishResponse();
				}
			}
			catch (IOException | IllegalStateException ex) {
				// The client is gone or the response was committed meanwhile; there is nobody left to answer.
			}
		}
	}

	/**
	 * Refuses a request line with a tab between its parts. Tomcat keeps the method, the target and the version as
	 * slices of the buffer it read the request line into, so the bytes around the target are the separators as the
	 * client sent them. The request is answered 400 through {@link ProblemValve}, and Tomcat closes the connection
	 * after a 400, so nothing that follows on it is read as another request.
	 */
	static final class RequestLineValve extends ValveBase {

		RequestLineValve() {
			super(true);
		}

		@Override
		public void invoke(Request request, Response response) throws IOException, ServletException {
			if (tabSeparated(request.getCoyoteRequest())) {
				request.setAttribute(DETAIL, TAB_IN_REQUEST_LINE);
				response.sendError(HttpServletResponse.SC_BAD_REQUEST);
				return;
			}
			getNext().invoke(request, response);
		}

		static boolean tabSeparated(org.apache.coyote.Request request) {
			MessageBytes uri = request.requestURI();
			if (uri.getType() != MessageBytes.T_BYTES) {
				return false;
			}
			ByteChunk target = uri.getByteChunk();
			byte[] line = target.getBuffer();
			// Back from the target to the method, over an absolute-form prefix Tomcat has cut off (RFC 9112 §3.2.2).
			int i = target.getStart() - 1;
			while (i >= 0 && !whitespace(line[i])) {
				i--;
			}
			for (; i >= 0 && whitespace(line[i]); i--) {
				if (line[i] == '\t') {
					return true;
				}
			}
			MessageBytes query = request.queryString();
			int end = !query.isNull() && query.getType() == MessageBytes.T_BYTES
					&& query.getByteChunk().getBuffer() == line ? query.getByteChunk().getEnd() : target.getEnd();
			for (int j = end; j < line.length && whitespace(line[j]); j++) {
				if (line[j] == '\t') {
					return true;
				}
			}
			return false;
		}

		private static boolean whitespace(byte b) {
			return b == ' ' || b == '\t';
		}
	}
}
