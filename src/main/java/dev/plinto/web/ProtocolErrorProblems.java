package dev.plinto.web;

import dev.plinto.config.PlintoSettings;
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
import org.apache.coyote.ActionCode;
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
 * never pass the servlet filters, so this valve also sets the security headers the filter chain would have set
 * ({@code X-Content-Type-Options}, frame denial, {@code Referrer-Policy}, HSTS when the issuer is https) and a fresh
 * {@code X-Request-Id}.
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

	private final boolean https;

	ProtocolErrorProblems(ObjectMapper json, ProblemRenderer problems, PlintoSettings settings) {
		this.json = json;
		this.problems = problems;
		this.https = "https".equals(settings.issuer().getScheme());
	}

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
		pipeline.addValve(new ProblemValve(json, problems, https));
		if (host instanceof StandardHost standardHost) {
			// The host adds an instance of this class at start unless its pipeline already holds one.
			standardHost.setErrorReportValveClass(ProblemValve.class.getName());
		}
	}

	/** The problem for a status Tomcat set by itself: its stable code, title and a fixed detail. */
	static Map<String, Object> body(ProblemRenderer problems, int status, String requestId) {
		ErrorCode code = ErrorCode.forStatus(status);
		Map<String, Object> body = problems.body(code, code == ErrorCode.MALFORMED_REQUEST
				? "The HTTP request could not be parsed (request line, headers or URL encoding); send valid HTTP/1.1."
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

		private final boolean https;

		ProblemValve(ObjectMapper json, ProblemRenderer problems, boolean https) {
			this.json = json;
			this.problems = problems;
			this.https = https;
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
				response.setHeader("X-Content-Type-Options", "nosniff");
				response.setHeader("X-Frame-Options", "DENY");
				response.setHeader("Content-Security-Policy", "frame-ancestors 'none'");
				response.setHeader("Referrer-Policy", "no-referrer");
				if (https) {
					response.setHeader("Strict-Transport-Security", "max-age=31536000 ; includeSubDomains");
				}
				Writer writer = response.getReporter();
				if (writer != null) {
					writer.write(json.writeValueAsString(body(problems, status, requestId)));
					response.finishResponse();
				}
			}
			catch (IOException | IllegalStateException ex) {
				// The client is gone or the response was committed meanwhile; there is nobody left to answer.
			}
		}
	}
}
