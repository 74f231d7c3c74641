package dev.plinto.migration;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReadersTests {

	private static List<String> read(SourceReader reader) throws IOException {
		List<String> out = new ArrayList<>();
		SourceRecord r;
		while ((r = reader.next()) != null) {
			out.add(r instanceof SourceRecord.User u ? r.record() + ":" + u.user().email()
					: r.record() + ":refused:" + ((SourceRecord.Refused) r).reason());
		}
		return out;
	}

	private static ByteArrayInputStream bytes(String s) {
		return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
	}

	@Test
	void jsonArrayWhenUsersUnderAFieldAfterOtherFieldsThenEachElementInOrder() throws IOException {
		String doc = "{\"realm\":\"x\",\"groups\":[{\"a\":[1,2]}],\"users\":[{\"email\":\"a@x.example\"},"
				+ "{\"email\":\"b@x.example\"}],\"clients\":[]}";
		assertThat(read(Readers.jsonArray(bytes(doc), "users", SourceFormats::generic)))
			.containsExactly("1:a@x.example", "2:b@x.example");
	}

	@Test
	void jsonArrayWhenDocumentIsAnArrayThenEachElement() throws IOException {
		assertThat(read(Readers.jsonArray(bytes("[{\"email\":\"a@x.example\"}, 3]"), "users", SourceFormats::generic)))
			.containsExactly("1:a@x.example", "2:refused:not a JSON object");
	}

	@Test
	void jsonArrayWhenDocumentBreaksThenTheRestIsOneRefusal() throws IOException {
		assertThat(read(Readers.jsonArray(bytes("{\"users\":[{\"email\":\"a@x.example\"}, {\"email\": }"), "users",
				SourceFormats::generic))).hasSize(2).first().isEqualTo("1:a@x.example");
	}
}
