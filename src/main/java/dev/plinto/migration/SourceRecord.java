package dev.plinto.migration;

/** What a reader found at one record of a source file: a user, or a row it refuses and why. */
sealed interface SourceRecord permits SourceRecord.User, SourceRecord.Refused {

	long record();

	record User(ImportedUser user) implements SourceRecord {

		@Override
		public long record() {
			return user.record();
		}
	}

	/** A row that cannot be read as a user (malformed line, missing email, unsupported hash), with the reason. */
	record Refused(long record, long line, String externalId, String email, String reason) implements SourceRecord {
	}
}
