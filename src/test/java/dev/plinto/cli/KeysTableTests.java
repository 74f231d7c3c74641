package dev.plinto.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeysTableTests {

	@Test
	void tableWhenCellsWiderThanHeadersThenEveryColumnStartsAtTheSameOffset() {
		List<String> lines = KeysCommand.table(List.of(List.of("KID", "ALG", "STATE", "CREATED", "SIGNS FROM"),
				List.of("key_svrsdsp1cqf0mzvs82ej9yxs3j", "RS256", "active", "2026-12-07T00:18:02Z",
						"2026-12-07T00:18:02Z"),
				List.of("key_2yd4t43te0fv24ne6dhjava0vh", "EdDSA", "retiring", "2026-12-07T00:18:24Z",
						"2026-12-07T00:28:24Z")));
		assertThat(lines).hasSize(3);
		for (String column : List.of("ALG", "STATE", "CREATED", "SIGNS FROM")) {
			int offset = lines.get(0).indexOf(column);
			assertThat(lines.get(1).charAt(offset - 1)).isEqualTo(' ');
			assertThat(lines.get(1).charAt(offset)).isNotEqualTo(' ');
			assertThat(lines.get(2).charAt(offset)).isNotEqualTo(' ');
			assertThat(lines.get(2).charAt(offset - 1)).isEqualTo(' ');
		}
		assertThat(lines.get(1)).startsWith("key_svrsdsp1cqf0mzvs82ej9yxs3j  RS256  active    2026-12-07T00:18:02Z  ");
	}

	@Test
	void secondsWhenInstantHasNanosThenTruncatedToTheSecond() {
		assertThat(KeysCommand.seconds(Instant.parse("2026-12-07T00:08:42.641351Z"))).isEqualTo("2026-12-07T00:08:42Z");
	}
}
