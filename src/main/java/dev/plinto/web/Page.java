package dev.plinto.web;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.function.Function;

/**
 * One page of a list answer, {@code {"data": [...], "next_cursor": "..."}}, as every paginated endpoint returns it
 * (docs/api.md). A controller checks the caller's {@code limit} and asks its service for {@link #rowsFor(int)}
 * rows, one more than the page: that extra row, when it comes back, says that a next page exists without a second
 * count query. {@link #of} then cuts the page and makes the {@code next_cursor} from the sort key of its last item
 * ({@link PageCursor}); it is null on the last page.
 *
 * @param data the items of this page, at most {@code limit}
 * @param nextCursor the cursor of the next page, or null on the last page
 */
public record Page<T>(List<T> data, @Schema(nullable = true) String nextCursor) {

	/** The {@code limit} when the caller gives none, as a {@code @RequestParam} default. */
	public static final String DEFAULT_LIMIT = "20";

	/** The largest {@code limit} a caller may ask for. */
	public static final int MAX_LIMIT = 100;

	/**
	 * The caller's {@code limit} query parameter: absent means {@value #DEFAULT_LIMIT}; anything but a whole number
	 * from 1 to {@value #MAX_LIMIT}, an empty {@code limit=} included, is refused with 400 {@code validation_failed}
	 * rather than read as absent (the document declares an integer, and a client sending an empty value has a bug
	 * it should hear about).
	 */
	public static int limit(String raw) {
		if (raw == null) {
			return Integer.parseInt(DEFAULT_LIMIT);
		}
		int limit;
		try {
			limit = Integer.parseInt(raw);
		}
		catch (NumberFormatException e) {
			throw ApiException.validation("limit", ErrorCode.VALIDATION_FAILED,
					"The parameter 'limit' must be a whole number.");
		}
		rowsFor(limit);
		return limit;
	}

	/**
	 * The number of rows to fetch for a page of {@code limit} items: {@code limit + 1}. 400
	 * {@code validation_failed} on {@code limit} unless it is from 1 to {@value #MAX_LIMIT}.
	 */
	public static int rowsFor(int limit) {
		if (limit < 1 || limit > MAX_LIMIT) {
			throw ApiException.validation("limit", ErrorCode.VALIDATION_FAILED,
					"limit must be from 1 to " + MAX_LIMIT + ".");
		}
		return limit + 1;
	}

	/**
	 * The page of {@code rows} fetched with {@link #rowsFor(int) rowsFor(limit)}.
	 * @param sortKey the sort key of a row, which the next page starts after (encoded by {@link PageCursor})
	 * @param view the answer's item for a row
	 */
	public static <R, T> Page<T> of(List<R> rows, int limit, Function<? super R, String> sortKey,
			Function<? super R, ? extends T> view) {
		boolean more = rows.size() > limit;
		List<R> page = more ? rows.subList(0, limit) : rows;
		String next = more ? PageCursor.encode(sortKey.apply(page.get(page.size() - 1))) : null;
		return new Page<>(page.stream().<T>map(view::apply).toList(), next);
	}
}
