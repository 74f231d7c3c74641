package dev.plinto.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterProperties;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses request bodies over {@value #MAX_BYTES} bytes with 413 {@code payload_too_large}, whether the size
 * is declared in {@code Content-Length} or only discovered while reading a chunked body (OWASP REST Security
 * Cheat Sheet, "Input validation": limit request size). Runs after Spring Security's filters, which add the
 * security headers when the response is committed, so its 413 carries them like every other response.
 */
@Component
@Order(SecurityFilterProperties.DEFAULT_FILTER_ORDER + 1)
final class BodySizeLimitFilter extends OncePerRequestFilter {

	static final int MAX_BYTES = 64 * 1024;

	private final ProblemRenderer problems;

	BodySizeLimitFilter(ProblemRenderer problems) {
		this.problems = problems;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (request.getContentLengthLong() > MAX_BYTES) {
			problems.write(response, ErrorCode.PAYLOAD_TOO_LARGE, null);
			return;
		}
		chain.doFilter(new LimitedRequest(request), response);
	}

	/** Thrown while reading past the limit; the exception handler renders it as 413. */
	static final class BodyTooLargeException extends IOException {
		BodyTooLargeException() {
			super("request body exceeds " + MAX_BYTES + " bytes");
		}
	}

	private static final class LimitedRequest extends HttpServletRequestWrapper {

		private ServletInputStream stream;

		LimitedRequest(HttpServletRequest request) {
			super(request);
		}

		@Override
		public ServletInputStream getInputStream() throws IOException {
			if (stream == null) {
				stream = new LimitedStream(super.getInputStream());
			}
			return stream;
		}
	}

	private static final class LimitedStream extends ServletInputStream {

		private final ServletInputStream delegate;

		private long read;

		LimitedStream(ServletInputStream delegate) {
			this.delegate = delegate;
		}

		@Override
		public int read() throws IOException {
			int b = delegate.read();
			if (b >= 0) {
				count(1);
			}
			return b;
		}

		@Override
		public int read(byte[] buffer, int offset, int length) throws IOException {
			int n = delegate.read(buffer, offset, length);
			if (n > 0) {
				count(n);
			}
			return n;
		}

		private void count(int n) throws IOException {
			read += n;
			if (read > MAX_BYTES) {
				throw new BodyTooLargeException();
			}
		}

		@Override
		public boolean isFinished() {
			return delegate.isFinished();
		}

		@Override
		public boolean isReady() {
			return delegate.isReady();
		}

		@Override
		public void setReadListener(ReadListener listener) {
			delegate.setReadListener(listener);
		}
	}
}
