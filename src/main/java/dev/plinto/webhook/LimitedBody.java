package dev.plinto.webhook;

import java.net.http.HttpResponse.BodySubscriber;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Reads at most {@code limit} bytes of a response body, then cancels the rest: a receiver's answer is only kept as a
 * snippet for the delivery log, and an endpoint that streams an endless body must not tie up the worker or its
 * memory (OWASP Server-Side Request Forgery Prevention Cheat Sheet: do not pass raw responses through unbounded).
 */
final class LimitedBody implements BodySubscriber<String> {

	private final int limit;

	private final byte[] buffer;

	private int length;

	private final CompletableFuture<String> result = new CompletableFuture<>();

	private Flow.Subscription subscription;

	LimitedBody(int limit) {
		this.limit = limit;
		this.buffer = new byte[limit];
	}

	@Override
	public CompletionStage<String> getBody() {
		return result;
	}

	@Override
	public void onSubscribe(Flow.Subscription s) {
		this.subscription = s;
		s.request(Long.MAX_VALUE);
	}

	@Override
	public void onNext(List<ByteBuffer> items) {
		for (ByteBuffer item : items) {
			int n = Math.min(item.remaining(), limit - length);
			item.get(buffer, length, n);
			length += n;
		}
		if (length >= limit) {
			subscription.cancel();
			complete();
		}
	}

	@Override
	public void onError(Throwable throwable) {
		// What was read before the connection failed is still a useful snippet; the status line was already read.
		complete();
	}

	@Override
	public void onComplete() {
		complete();
	}

	private void complete() {
		result.complete(new String(buffer, 0, length, StandardCharsets.UTF_8));
	}
}
