package dev.plinto.migration;

/** An import or export that cannot go on, with one sentence for the operator. */
public final class ImportException extends RuntimeException {

	public ImportException(String message) {
		super(message);
	}

	public ImportException(String message, Throwable cause) {
		super(message, cause);
	}
}
