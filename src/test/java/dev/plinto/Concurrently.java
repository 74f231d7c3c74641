package dev.plinto;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** Runs calls at the same moment on a pool's threads, for tests of races: they start together once all are ready. */
public final class Concurrently {

	private Concurrently() {
	}

	/** The results of the calls, in their order. The pool needs at least as many threads as there are calls. */
	public static <T> List<T> call(ExecutorService pool, List<Callable<T>> calls) throws Exception {
		CountDownLatch ready = new CountDownLatch(calls.size());
		CountDownLatch go = new CountDownLatch(1);
		List<Future<T>> futures = new ArrayList<>();
		for (Callable<T> call : calls) {
			futures.add(pool.submit(() -> {
				ready.countDown();
				go.await();
				return call.call();
			}));
		}
		assertThat(ready.await(30, TimeUnit.SECONDS)).as("every thread ready").isTrue();
		go.countDown();
		List<T> results = new ArrayList<>();
		for (Future<T> future : futures) {
			results.add(future.get(60, TimeUnit.SECONDS));
		}
		return results;
	}
}
