package dev.plinto.pages;

import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * The one place that renders a page-level refusal outside a controller (a missing or wrong CSRF token, a foreign
 * {@code Origin}): the error page with a sentence in the user's language and a way back, never a stack trace.
 */
@Component
public final class ErrorPages {

	private final TemplateEngine templates;

	private final PageContexts contexts;

	ErrorPages(TemplateEngine templates, PageContexts contexts) {
		this.templates = templates;
		this.contexts = contexts;
	}

	/** Writes the error page with the sentence of {@code messageKey}. */
	public void render(HttpServletRequest request, HttpServletResponse response, HttpStatus status,
			String messageKey) throws IOException {
		PageContext ctx = contexts.of(request, response);
		StringOutput out = new StringOutput();
		templates.render("error.jte", Map.of("ctx", ctx, "message", ctx.t(messageKey)), out);
		response.setStatus(status.value());
		response.setContentType("text/html;charset=UTF-8");
		response.getWriter().write(out.toString());
	}
}
