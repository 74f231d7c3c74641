package dev.plinto.backup;

/**
 * A backup or restore that cannot proceed, with one sentence for the operator saying why and what to do. The
 * command prints the message and exits with status 1; a restore that raises it has left the target unchanged.
 */
public final class BackupException extends RuntimeException {

	public BackupException(String sentence) {
		super(sentence);
	}

	public BackupException(String sentence, Throwable cause) {
		super(sentence, cause);
	}
}
