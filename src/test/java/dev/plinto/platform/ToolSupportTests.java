package dev.plinto.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class ToolSupportTests {

	@Test
	void databaseInUseWhenH2FileLockAnywhereInTheCausesThenOneSentenceNamingTheFile() {
		RuntimeException failure = new RuntimeException("Failed to initialize pool",
				new SQLException("Database may be already in use: null. Possible solutions: close all other "
						+ "connection(s); use the server mode [90020-232]",
						new IllegalStateException("The file is locked: /data/plinto.mv.db [2.3.232/7]")));
		assertThat(ToolSupport.databaseInUse(failure)).hasValue("The embedded database /data/plinto.mv.db is in use "
				+ "by another process, most likely a running Plinto server: stop it first (on embedded storage one "
				+ "process at a time may open the database), or use PostgreSQL.");
	}

	@Test
	void databaseInUseWhenOtherFailureThenEmpty() {
		assertThat(ToolSupport.databaseInUse(new RuntimeException("Connection refused", new SQLException()))).isEmpty();
	}
}
